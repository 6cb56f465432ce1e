/// <reference lib="dom" />
import { useCallback, useEffect, useState } from 'react';
import { errorText } from '../messages.js';

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'done'; items: T }
  | { state: 'failed'; error: string };

/**
 * What a settings page lists, fetched on mount and again after each change (`reload`); the
 * latest answer wins, so a slow earlier one never overwrites a newer list.
 */
export function useList<T>(fetch: () => Promise<T>, failure: string): [Loaded<T>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` asks again; `fetch` is fixed per page.
  useEffect(() => {
    let live = true;
    fetch().then(
      (items) => live && setLoaded({ state: 'done', items }),
      (err: unknown) => live && setLoaded({ state: 'failed', error: errorText(err, failure) }),
    );
    return () => {
      live = false;
    };
  }, [round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return [loaded, reload];
}
