/// <reference lib="dom" />
import { useSyncExternalStore } from 'react';

/**
 * Client-side routes on the History API. The server answers each route's URL with the same
 * `index.html` (see builder-assets.ts), so a reload or a shared link lands on the same page.
 */

const CHANGE = 'inlay:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

const current = () => `${window.location.pathname}${window.location.search}`;

export interface Location {
  path: string;
  query: URLSearchParams;
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, current);
  const url = new URL(href, window.location.origin);
  return { path: url.pathname, query: url.searchParams };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(CHANGE));
}

/** A dashboard's page. */
export const dashboardPath = (d: { id: string }) => `/dashboards/${encodeURIComponent(d.id)}`;

/** `/dashboards/<id>` → the id; undefined for any other path. */
export function dashboardIdOf(path: string): string | undefined {
  const m = /^\/dashboards\/([^/]+)\/?$/.exec(path);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
}

/** A dashboard's editor. */
export const editorPath = (d: { id: string }) => `${dashboardPath(d)}/edit`;

/** `/dashboards/<id>/edit` → the id; undefined for any other path. */
export function editorIdOf(path: string): string | undefined {
  const m = /^\/dashboards\/([^/]+)\/edit\/?$/.exec(path);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
}

/** The admin's Settings sections, in the order the menu lists them. */
export const SETTINGS_SECTIONS = [
  { id: 'connections', label: 'Connections' },
  { id: 'environments', label: 'Environments' },
  { id: 'api-keys', label: 'API keys' },
  { id: 'users', label: 'Users' },
] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number]['id'];

export const settingsPath = (section: SettingsSection) => `/settings/${section}`;

/**
 * `/settings/<section>` → the section; `/settings` → the first one; `'unknown'` for a section
 * that does not exist; undefined for any other path.
 */
export function settingsSectionOf(path: string): SettingsSection | 'unknown' | undefined {
  const m = /^\/settings(?:\/([^/]*))?\/?$/.exec(path);
  if (!m) return undefined;
  if (!m[1]) return 'connections';
  return SETTINGS_SECTIONS.find((s) => s.id === m[1])?.id ?? 'unknown';
}
