/// <reference lib="dom" />
import { useEffect, useState } from 'react';

/** `value`, once it has stayed the same for `ms` (a search box asks the server after typing stops). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The tab's title: `<page> – Inlay`, so each page is told apart in tabs, history and screen readers. */
export function useDocumentTitle(page: string | undefined): void {
  useEffect(() => {
    document.title = page ? `${page} – Inlay` : 'Inlay';
  }, [page]);
}
