/// <reference lib="dom" />
import { type ReactNode, useEffect, useRef } from 'react';

let firstPage = true;

/**
 * A page's one `h1`. When the app moves to another page (signed in, signed out, a new route),
 * focus moves to the new heading, so keyboard and screen-reader users start at its top; the
 * first page shown leaves focus where the browser put it.
 */
export function PageHeading({ children, id }: { children: ReactNode; id?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (firstPage) firstPage = false;
    else ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} id={id} tabIndex={-1}>
      {children}
    </h1>
  );
}
