/// <reference lib="dom" />
/**
 * Every call the builder makes to the Inlay server: same origin, the session cookie
 * (`credentials: 'same-origin'`), and the `x-inlay-csrf` header on every state-changing request
 * once a session answer gave its token. Errors come back as `ApiError` with the server's
 * `errorMessage`.
 */

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

export interface Embeddable {
  id: string;
  name: string;
  /** Tag name → saved version, e.g. `{production: 'v3'}`. */
  tags: Record<string, string>;
}

export class ApiError extends Error {
  constructor(
    message: string,
    /** The HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** From `retry-after` on a 429, in seconds. */
    readonly retryAfterSeconds?: number,
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

async function call<T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-inlay-csrf'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`${API}${route}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError('Could not reach the Inlay server. Check the connection and try again.', 0);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const message =
      json &&
      typeof json === 'object' &&
      typeof (json as { errorMessage?: unknown }).errorMessage === 'string'
        ? (json as { errorMessage: string }).errorMessage
        : `The server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`;
    throw new ApiError(message, res.status, parseRetryAfter(res.headers.get('retry-after')));
  }
  return json as T;
}

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
  async embeddables(): Promise<Embeddable[]> {
    return (await call<{ embeddables: Embeddable[] }>('GET', '/embeddables')).embeddables;
  },
};
