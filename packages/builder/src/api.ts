/// <reference lib="dom" />
/**
 * Every call the builder makes to the Inlay server: same origin, the session cookie
 * (`credentials: 'same-origin'`), and the `x-inlay-csrf` header on every state-changing request
 * once a session answer gave its token. Errors come back as `ApiError` with the server's
 * `errorMessage`.
 */
import type { ComponentMeta } from '@inlay/core';
import type { SqlAnswer } from './editor/console.js';

export type Role = 'admin' | 'editor' | 'viewer';

export interface User {
  id: string;
  email: string;
  role: Role;
  displayName: string | null;
}

export interface Session {
  user: User;
  csrfToken: string;
}

export const PUBLISH_TAGS = ['production', 'staging', 'development'] as const;
export type PublishTag = (typeof PUBLISH_TAGS)[number];

/** A dashboard as the list shows it (`BuilderDashboard` in the API reference). */
export interface Embeddable {
  id: string;
  name: string;
  title: string | null;
  /** `code`: a project file or a push, read-only in the builder. */
  source: 'code' | 'builder';
  /** `vN`, or null before the first save. */
  latestVersion: string | null;
  /** Tag name → saved version, e.g. `{production: 'v3'}`. */
  tags: Partial<Record<PublishTag, string>>;
  /** When the builder last autosaved its draft; null without one. */
  draftUpdatedAt: string | null;
}

/** The parts of a dashboard document the builder reads (the `*.embeddable.yml` shape). */
export interface DashboardDocument {
  id?: string;
  name?: string;
  title?: string;
  description?: string;
  variables?: { name: string; [key: string]: unknown }[];
  datasets?: { name: string; [key: string]: unknown }[];
  widgets?: { id: string; [key: string]: unknown }[];
}

export interface OpenedEmbeddable extends Embeddable {
  /** The draft, else the latest version. */
  document: DashboardDocument;
  /** `draft` or the version it was read from. */
  documentFrom: string;
}

export interface SavedVersionInfo {
  version: string;
  createdAt: string;
  description: string | null;
  modelVersion: string | null;
  /** The publish tags pointing at it. */
  tags: PublishTag[];
}

export interface SavedVersion extends SavedVersionInfo {
  document: DashboardDocument;
}

/** "View as" choices (`GET /api/v1/presets`). */
export interface Presets {
  securityContexts: {
    name: string;
    securityContext: Record<string, unknown>;
    roles?: string[];
    environment?: string;
  }[];
  clientContexts: { name: string; clientContext: Record<string, unknown> }[];
}

/** A cube or view from `GET /api/v1/meta`: what datasets, filters and member inputs may name. */
/** One entry of `GET /api/v1/components`: a workspace component (with its module) or a standard one. */
export interface ListedComponent {
  name: string;
  standard: boolean;
  /** The whole meta, as the palette and the inputs panel read it. */
  meta: ComponentMeta;
  /** A workspace component's module, relative to the server's base address. */
  url?: string;
}

export interface MetaCubeInfo {
  name: string;
  title: string;
  measures: { name: string; title: string; type: string }[];
  dimensions: { name: string; title: string; type: string }[];
}

export class ApiError extends Error {
  constructor(
    message: string,
    /** The HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** From `retry-after` on a 429, in seconds. */
    readonly retryAfterSeconds?: number,
    /** The server's suggestion of what to do about it (`hint`), when it gave one. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const API = '/api/v1';
let csrfToken: string | undefined;

function remember(session: Session): Session {
  csrfToken = session.csrfToken;
  return session;
}

/** `retry-after` is seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Browsers refuse a `keepalive` request whose body is over 64 KiB: a bigger one goes without it. */
const KEEPALIVE_MAX_BYTES = 60_000;

/** One request to `/api/v1<route>`; other modules' calls (`admin-api.ts`) go through it too. */
export async function call<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  route: string,
  body?: unknown,
  options: { keepalive?: boolean } = {},
): Promise<T> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-inlay-csrf'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`${API}${route}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: text,
      // Lets the request finish after the page is gone (the autosave when the tab closes).
      keepalive: Boolean(options.keepalive) && (text?.length ?? 0) < KEEPALIVE_MAX_BYTES,
    });
  } catch {
    throw new ApiError('Could not reach the Inlay server. Check the connection and try again.', 0);
  }
  if (res.status === 204) return undefined as T;
  const answer = await res.text();
  let json: unknown;
  try {
    json = answer ? JSON.parse(answer) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const body = (json && typeof json === 'object' ? json : {}) as { errorMessage?: unknown; hint?: unknown };
    const message =
      typeof body.errorMessage === 'string'
        ? body.errorMessage
        : `The server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`;
    const hint = typeof body.hint === 'string' ? body.hint : undefined;
    throw new ApiError(message, res.status, parseRetryAfter(res.headers.get('retry-after')), hint);
  }
  return json as T;
}

const dashboard = (id: string) => `/embeddables/${encodeURIComponent(id)}`;

/** Where a saved version downloads as a `*.embeddable.yml` (a plain link: the cookie goes along). */
export const downloadUrl = (id: string, version: string) =>
  `${API}${dashboard(id)}/download?version=${encodeURIComponent(version)}`;

export const api = {
  /** The signed-in session, or null when there is none (401). */
  async session(): Promise<Session | null> {
    try {
      return remember(await call<Session>('GET', '/auth/session'));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return null;
      throw err;
    }
  },
  async signIn(email: string, password: string): Promise<Session> {
    return remember(await call<Session>('POST', '/auth/sign-in', { email, password }));
  },
  async signUp(token: string, email: string, password: string): Promise<Session> {
    return remember(await call<Session>('POST', '/auth/sign-up', { token, email, password }));
  },
  async signOut(): Promise<void> {
    await call<void>('POST', '/auth/sign-out');
    csrfToken = undefined;
  },
  /** The workspace's dashboards; `search` matches every word in the name or title. */
  async embeddables(search = ''): Promise<Embeddable[]> {
    const query = search.trim() ? `?search=${encodeURIComponent(search.trim())}` : '';
    return (await call<{ embeddables: Embeddable[] }>('GET', `/embeddables${query}`)).embeddables;
  },
  createEmbeddable(name: string, title?: string): Promise<Embeddable> {
    return call('POST', '/embeddables', title ? { name, title } : { name });
  },
  embeddable(id: string): Promise<OpenedEmbeddable> {
    return call('GET', dashboard(id));
  },
  duplicate(id: string, name: string): Promise<Embeddable> {
    return call('POST', `${dashboard(id)}/duplicate`, { name });
  },
  remove(id: string): Promise<void> {
    return call('DELETE', dashboard(id));
  },
  async savedVersions(id: string): Promise<SavedVersionInfo[]> {
    return (await call<{ versions: SavedVersionInfo[] }>('GET', `${dashboard(id)}/saved-versions`)).versions;
  },
  savedVersion(id: string, version: string): Promise<SavedVersion> {
    return call('GET', `${dashboard(id)}/saved-versions/${encodeURIComponent(version)}`);
  },
  saveVersion(id: string, description: string): Promise<SavedVersion> {
    return call('POST', `${dashboard(id)}/saved-versions`, description ? { description } : {});
  },
  /** Autosaves the draft over the one saved at `base`; a 409 means another editor saved since. */
  async saveDraft(
    id: string,
    document: unknown,
    base: string | null,
    options: { keepalive?: boolean } = {},
  ): Promise<string> {
    const saved = await call<{ draftUpdatedAt: string }>(
      'PUT',
      `${dashboard(id)}/draft`,
      { document, baseUpdatedAt: base },
      options,
    );
    return saved.draftUpdatedAt;
  },
  /** The workspace's current components (the builder previews with these) and the standard ones. */
  async components(): Promise<ListedComponent[]> {
    return (await call<{ components: ListedComponent[] }>('GET', '/components')).components;
  },
  presets(): Promise<Presets> {
    return call('GET', '/presets');
  },
  async meta(): Promise<MetaCubeInfo[]> {
    return (await call<{ cubes: MetaCubeInfo[] }>('GET', '/meta')).cubes;
  },
  /** The SQL and bound parameters a query would run as `body`'s customer, without running it. */
  sql(body: Record<string, unknown>): Promise<SqlAnswer> {
    return call('POST', '/sql', body);
  },
  /** Points a tag at a saved version: publishing, or rolling back to an older one. */
  publish(id: string, tag: PublishTag, version: string): Promise<Embeddable> {
    return call('PUT', `${dashboard(id)}/tags/${tag}`, { version });
  },
};
