import type { DashboardDocument, LoadResponse, QueryInput } from '@inlay/core';
import type { ProjectComponents } from './project-components.js';
import type { MemberKind } from './query.js';
import { queryKey } from './query.js';
import { type LoadOrigin, type RequestReport, reportOf, type SentLoad } from './request-report.js';

/**
 * The runtime's HTTP calls to an Inlay server: with the current security token, or, in the
 * builder's preview, with the signed-in session (same origin) querying as a chosen customer.
 */

/** What `embeddableError` carries. */
export class EmbedError extends Error {
  constructor(
    message: string,
    readonly detail: unknown = undefined,
  ) {
    super(message);
  }
}

/** Whose rows a preview shows: what a token for that customer would carry. */
export interface PreviewAs {
  securityContext?: Record<string, unknown>;
  roles?: string[];
  environment?: string;
}

/**
 * The builder's preview: a document that is not published yet, its data asked for with the
 * builder's session cookie (so the page must be on the Inlay server's origin) and CSRF token.
 */
export interface Preview {
  document: DashboardDocument;
  csrfToken: string;
  as?: PreviewAs;
  /** A drill-down's target as the builder previews it (its draft, else its latest version). */
  dashboard?: (idOrName: string) => Promise<DashboardDocument>;
}

export interface Connection {
  baseUrl: string;
  /** Read at each request: a token the host replaced is used from the next request on. */
  token: () => string;
  preview?: Preview | undefined;
  /** Inside a drill-down modal: the dashboards opened from the token's, which the server checks. */
  drill?: readonly string[] | undefined;
}

function credentials(conn: Connection): RequestInit {
  if (conn.preview)
    return { credentials: 'same-origin', headers: { 'x-inlay-csrf': conn.preview.csrfToken } };
  const headers: Record<string, string> = { authorization: `Bearer ${conn.token()}` };
  if (conn.drill?.length) headers['x-inlay-drill'] = conn.drill.join(',');
  return { headers };
}

async function call<T>(conn: Connection, path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    const auth = credentials(conn);
    res = await fetch(`${conn.baseUrl}${path}`, {
      ...init,
      ...auth,
      headers: { ...(init.headers ?? {}), ...(auth.headers as Record<string, string>) },
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new EmbedError(`cannot reach the Inlay server at ${conn.baseUrl}`, { path, cause: String(err) });
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const message = typeof body.errorMessage === 'string' ? body.errorMessage : `HTTP ${res.status}`;
    throw new EmbedError(message, { path, status: res.status, ...body });
  }
  return body as T;
}

/** `components`: the project components the dashboard's pinned version has, `{name: url}` (see README). */
export function fetchDashboard(
  conn: Connection,
): Promise<{ dashboard: DashboardDocument; expiresAt: string } & ProjectComponents> {
  return call(conn, '/api/v1/embed/dashboard');
}

export interface MemberInfo {
  kind: MemberKind;
  title: string;
}

interface MetaAnswer {
  cubes: {
    measures: { name: string; title: string }[];
    dimensions: { name: string; title: string; type: string }[];
  }[];
}

/** Every member the token may read: what it is (measure, dimension, time) and its title. */
export async function fetchMembers(conn: Connection): Promise<Map<string, MemberInfo>> {
  const meta = await call<MetaAnswer>(conn, '/api/v1/meta');
  const members = new Map<string, MemberInfo>();
  for (const cube of meta.cubes) {
    for (const m of cube.measures) members.set(m.name, { kind: 'measure', title: m.title });
    for (const d of cube.dimensions) {
      members.set(d.name, { kind: d.type === 'time' ? 'time' : 'dimension', title: d.title });
    }
  }
  return members;
}

interface InFlight {
  promise: Promise<LoadResponse>;
  controller: AbortController;
  users: number;
  sent: SentLoad;
}

/**
 * `/api/v1/load` for one embed: identical queries in flight share one request; a request whose
 * every user went away (variables changed, widget removed) is aborted. Each request, once
 * settled, goes to `report` (the element's `inlay:request`).
 */
export class DataBridge {
  private readonly inflight = new Map<string, InFlight>();

  constructor(
    private readonly conn: () => Connection,
    private readonly report?: (report: RequestReport) => void,
  ) {}

  load(query: QueryInput, signal: AbortSignal, origin?: LoadOrigin): Promise<LoadResponse> {
    if (signal.aborted) return Promise.reject(new DOMException('aborted', 'AbortError'));
    const key = queryKey(query);
    let entry = this.inflight.get(key);
    if (!entry) {
      const controller = new AbortController();
      const conn = this.conn();
      const promise = call<LoadResponse>(conn, '/api/v1/load', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // A preview asks as its customer, as the API key may; a token's claims decide by themselves.
        body: JSON.stringify({ query, ...(conn.preview?.as ?? {}) }),
        signal: controller.signal,
      });
      const sent: SentLoad = {
        query,
        as: conn.preview?.as,
        startedAt: Date.now(),
        started: performance.now(),
        origin,
        widgetIds: [],
      };
      const created: InFlight = { promise, controller, users: 0, sent };
      const report = this.report;
      const settle = (outcome: { answer: LoadResponse } | { error: unknown }) => {
        if (this.inflight.get(key) === created) this.inflight.delete(key);
        report?.(reportOf(sent, outcome, performance.now()));
      };
      promise.then(
        (answer) => settle({ answer }),
        (error: unknown) => settle({ error }),
      );
      this.inflight.set(key, created);
      entry = created;
    }
    const shared = entry;
    shared.users++;
    if (origin && !shared.sent.widgetIds.includes(origin.widgetId))
      shared.sent.widgetIds.push(origin.widgetId);
    signal.addEventListener(
      'abort',
      () => {
        shared.users--;
        if (shared.users === 0) {
          shared.controller.abort();
          if (this.inflight.get(key) === shared) this.inflight.delete(key);
        }
      },
      { once: true },
    );
    return new Promise((resolve, reject) => {
      signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), {
        once: true,
      });
      shared.promise.then(resolve, reject);
    });
  }
}

/** A token's claims, read without verifying them (the server verifies; this only schedules and compares). */
function tokenClaims(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The token's `exp` (ms since the epoch). */
export function tokenExpiry(token: string): number | undefined {
  const exp = tokenClaims(token)?.exp;
  return typeof exp === 'number' ? exp * 1000 : undefined;
}

/** Claims that only say when a token was made and how long it lives: a renewal changes nothing else. */
const LIFETIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'jti']);

/**
 * Whether `next` only renews `previous` (same user, dashboard, version, security context, roles,
 * environment): then nothing reloads. Any other change (another customer signed in) reloads
 * the dashboard and its data; so does a token whose claims cannot be read.
 */
export function isRenewal(previous: string, next: string): boolean {
  const a = tokenClaims(previous);
  const b = tokenClaims(next);
  if (!a || !b) return false;
  const identity = (claims: Record<string, unknown>) =>
    JSON.stringify(
      Object.keys(claims)
        .filter((k) => !LIFETIME_CLAIMS.has(k))
        .sort()
        .map((k) => [k, claims[k]]),
    );
  return identity(a) === identity(b);
}
