import { type ClientContext, resolveTheme, type ThemeMode } from '@inlay/sdk';
import { useCallback, useContext, useId, useMemo, useRef, useState } from 'react';
import { InlayContext } from './context.js';

/** The client context the host gave the embed (`locale`, `timezone`, `theme`, anything else). */
export function useClientContext(): ClientContext {
  return useContext(InlayContext)?.clientContext ?? EMPTY_CONTEXT;
}
const EMPTY_CONTEXT: ClientContext = Object.freeze({});

/**
 * The theme in force: its mode and every `--inlay-*` variable's value (for canvases, which cannot
 * read CSS variables; markup should use `var(--inlay-…)` instead).
 */
export function useTheme(): { mode: ThemeMode; variables: Record<string, string> } {
  const ctx = useContext(InlayContext);
  const theme = ctx?.theme ?? ctx?.clientContext?.theme;
  return useMemo(() => resolveTheme(theme), [theme]);
}

type SetState<T> = (next: T | ((current: T) => T)) => void;

/**
 * Widget state that the runtime keeps (across re-renders and re-mounts of the widget); plain
 * component state outside the runtime.
 */
export function useEmbeddableState<T>(initial: T): [T, SetState<T>] {
  const ctx = useContext(InlayContext);
  const [local, setLocal] = useState<T>(initial);
  const value = ctx?.setState && ctx.state !== undefined ? (ctx.state as T) : ctx?.setState ? initial : local;
  const latest = useRef(value);
  latest.current = value;
  const runtimeSet = ctx?.setState;
  const set = useCallback<SetState<T>>(
    (next) => {
      const resolved = typeof next === 'function' ? (next as (c: T) => T)(latest.current) : next;
      if (runtimeSet) runtimeSet(resolved);
      else setLocal(resolved);
    },
    [runtimeSet],
  );
  return [value, set];
}

/**
 * An element id unique in the embed: `useId()` prefixed with the widget's id. Each widget is its
 * own render root, so `useId()` alone repeats across the widgets of one shadow root, and
 * `aria-labelledby`/`htmlFor` would point at another widget's element.
 */
export function useElementId(): string {
  const widgetId = useContext(InlayContext)?.widgetId;
  const id = useId();
  return widgetId ? `${widgetId.replace(/[^A-Za-z0-9_-]/g, '_')}-${id}` : id;
}
