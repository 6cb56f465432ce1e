import { InlayError } from '@inlay/core';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
  onSendHookHandler,
} from 'fastify';
import fp from 'fastify-plugin';
import type { Store } from '../store/index.js';

/** What a browser holding a security token calls; nothing else answers CORS. */
export const CORS_ROUTES = ['/api/v1/load', '/api/v1/meta', '/api/v1/embed/dashboard'];

export const MAX_ALLOWED_ORIGINS = 100;
export const ORIGINS_TTL_MS = 5000;

/**
 * Why `value` is not something a browser sends in `Origin` (undefined when it is one, or `*`).
 * Browsers send `scheme://host[:port]`, lower-case, without a default port or a slash, so anything
 * else would never match: better refused with the fix than stored and silently useless.
 */
export function originProblem(value: string): string | undefined {
  if (value === '*') return undefined;
  if (value === 'null') {
    return "'null' is what sandboxed frames and local files send; it cannot be allowed (any page can send it)";
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL; write scheme://host[:port], e.g. https://app.example.com';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must start with https:// or http://';
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.search || url.hash || value.includes('?') || value.includes('#')) {
    return `must not have a query or fragment; write ${url.origin}`;
  }
  if (url.pathname !== '/' || value.endsWith('/'))
    return `must not have a path or trailing slash; write ${url.origin}`;
  if (url.origin !== value) return `is not written as browsers send it; write ${url.origin}`;
  return undefined;
}

/** Where each workspace's own origins live: the metadata store, or memory for a store-less app. */
export interface OriginSettings {
  get(workspaceId: string): Promise<string[]>;
  set(workspaceId: string, origins: string[]): Promise<void>;
  /** Every workspace with a non-empty list, in one read. */
  all(): Promise<Map<string, string[]>>;
}

export function storeOriginSettings(store: Store): OriginSettings {
  return {
    get: (ws) => store.workspaces.allowedOrigins(ws),
    set: (ws, origins) => store.workspaces.setAllowedOrigins(ws, origins),
    all: () => store.workspaces.allAllowedOrigins(),
  };
}

/** For the store-less app (tests): settings last as long as the app. */
export function memoryOriginSettings(): OriginSettings {
  const byWorkspace = new Map<string, string[]>();
  return {
    get: async (ws) => [...(byWorkspace.get(ws) ?? [])],
    set: async (ws, origins) => {
      if (origins.length === 0) byWorkspace.delete(ws);
      else byWorkspace.set(ws, [...origins]);
    },
    all: async () => new Map([...byWorkspace].map(([ws, o]) => [ws, [...o]])),
  };
}

/**
 * Who may call the data routes from a browser: the server-wide list (`INLAY_CORS_ORIGINS`) for
 * every workspace, plus each workspace's own. The per-workspace lists are read in one query and
 * kept `ttlMs`, so a request costs no store round-trip; a change made through this process is
 * seen at once, one made through another replica within `ttlMs`.
 */
export interface OriginPolicy {
  /** A preflight carries no credentials: any workspace (or the server list) allowing it is enough. */
  allowsPreflight(origin: string): Promise<boolean>;
  /** The origin may read answers for this workspace. */
  allows(workspaceId: string, origin: string): Promise<boolean>;
  /** The workspace lists origins of its own and this one is not allowed: its tokens are refused. */
  refuses(workspaceId: string, origin: string): Promise<boolean>;
  /**
   * `allows` and `refuses` at once, without waiting: undefined unless the lists are in memory and
   * fresh (the front door then leaves the request to the full path, whose reads refresh them).
   */
  peek(workspaceId: string, origin: string): { allows: boolean; refuses: boolean } | undefined;
  /** The workspace's own list as stored (not the server-wide one). */
  get(workspaceId: string): Promise<string[]>;
  /** Replaces the workspace's list (validated, deduplicated) and refreshes the cache before returning. */
  set(workspaceId: string, origins: string[]): Promise<string[]>;
}

export interface OriginPolicyOptions {
  /** `INLAY_CORS_ORIGINS`: allowed for every workspace. */
  serverOrigins: string[];
  settings: OriginSettings;
  ttlMs?: number;
  now?: () => number;
}

interface Snapshot {
  byWorkspace: Map<string, Set<string>>;
  union: Set<string>;
  at: number;
}

export function createOriginPolicy(options: OriginPolicyOptions): OriginPolicy {
  const server = new Set(options.serverOrigins);
  const ttl = options.ttlMs ?? ORIGINS_TTL_MS;
  const clock = options.now ?? Date.now;
  let snapshot: Snapshot | undefined;
  let loading: Promise<Snapshot> | undefined;

  function load(): Promise<Snapshot> {
    const started: Promise<Snapshot> = options.settings
      .all()
      .then((all) => {
        const byWorkspace = new Map([...all].map(([ws, list]) => [ws, new Set(list)]));
        const union = new Set([...byWorkspace.values()].flatMap((set) => [...set]));
        const next = { byWorkspace, union, at: clock() };
        // A slower, older read finishing after a newer one must not put old lists back.
        if (loading === started) snapshot = next;
        return next;
      })
      .finally(() => {
        if (loading === started) loading = undefined;
      });
    loading = started;
    return started;
  }

  function current(): Promise<Snapshot> {
    if (snapshot && clock() - snapshot.at < ttl) return Promise.resolve(snapshot);
    return loading ?? load();
  }

  const matches = (set: Set<string> | undefined, origin: string) =>
    set !== undefined && (set.has('*') || set.has(origin));
  const allows = (lists: Snapshot, workspaceId: string, origin: string) =>
    matches(server, origin) || matches(lists.byWorkspace.get(workspaceId), origin);
  const refuses = (lists: Snapshot, workspaceId: string, origin: string) => {
    const own = lists.byWorkspace.get(workspaceId);
    return own !== undefined && own.size > 0 && !matches(own, origin) && !matches(server, origin);
  };

  return {
    async allowsPreflight(origin) {
      return matches(server, origin) || matches((await current()).union, origin);
    },
    allows: async (workspaceId, origin) => allows(await current(), workspaceId, origin),
    refuses: async (workspaceId, origin) => refuses(await current(), workspaceId, origin),
    peek(workspaceId, origin) {
      if (!snapshot || clock() - snapshot.at >= ttl) return undefined;
      return {
        allows: allows(snapshot, workspaceId, origin),
        refuses: refuses(snapshot, workspaceId, origin),
      };
    },
    get: (workspaceId) => options.settings.get(workspaceId),
    async set(workspaceId, origins) {
      origins.forEach((o, i) => {
        const problem = originProblem(o);
        if (problem) throw new InlayError('QUERY_INVALID', `allowedOrigins[${i}]: '${o}' ${problem}`);
      });
      if (origins.length > MAX_ALLOWED_ORIGINS) {
        throw new InlayError('QUERY_INVALID', `at most ${MAX_ALLOWED_ORIGINS} allowed origins per workspace`);
      }
      const unique = [...new Set(origins)];
      await options.settings.set(workspaceId, unique);
      // Read again now (not after the TTL): the caller's next request must see its own change.
      await load();
      return unique;
    },
  };
}

export interface CorsOptions {
  policy: OriginPolicy;
  routes?: string[];
}

const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'GET, POST',
  // X-Inlay-Drill: the dashboards a drill-down modal opened from the token's (see tokens/caller.ts).
  'access-control-allow-headers': 'Authorization, Content-Type, X-Inlay-Drill',
  'access-control-max-age': '600',
};
/** The headers a page's script may read from a data answer. */
export const CORS_EXPOSED_HEADERS =
  'retry-after, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, x-inlay-cache';

function addVary(reply: FastifyReply, value: string): void {
  const existing = reply.getHeader('vary');
  // Most answers carry no Vary yet: no list to read.
  if (existing === undefined) {
    reply.header('vary', value);
    return;
  }
  const list = [existing ?? []]
    .flat()
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim());
  if (!list.some((v) => v.toLowerCase() === value.toLowerCase())) {
    reply.header('vary', [...list.filter(Boolean), value].join(', '));
  }
}

/**
 * CORS for the browser-facing data routes, decided per workspace:
 * - a preflight (`OPTIONS`, no credentials) is answered in a global `onRequest` hook, before any
 *   auth, when the server list or any workspace allows the origin; otherwise it is a 404;
 * - an answer carries `access-control-allow-origin` only when the caller's workspace (or the
 *   server list) allows the origin. Without a caller (auth refused the request) the preflight's
 *   rule applies, so a page can still read a 401 and renew its token;
 * - a security token used from an origin its workspace does not list (when it lists any) is a
 *   403 before the handler runs, so no query reaches the database.
 * No `allow-credentials`: the token travels in `Authorization`, not in cookies.
 */
export const corsPlugin = fp<CorsOptions>(
  async (app: FastifyInstance, opts) => {
    const routes = new Set(opts.routes ?? CORS_ROUTES);
    const { policy } = opts;

    const preflight = async (req: FastifyRequest, reply: FastifyReply, origin: string) => {
      if (!routes.has(req.url.split('?')[0] ?? '')) return;
      if (!(await policy.allowsPreflight(origin))) return;
      addVary(reply, 'Origin');
      return reply
        .code(204)
        .header('access-control-allow-origin', origin)
        .headers(PREFLIGHT_HEADERS)
        .header('content-length', '0')
        .send();
    };
    // Every request passes here; only a preflight waits for anything (callback style: no promise
    // per request for the others).
    app.addHook('onRequest', (req, reply, done) => {
      const origin = req.headers.origin;
      if (req.method !== 'OPTIONS' || !origin || !req.headers['access-control-request-method']) return done();
      preflight(req, reply, origin).then(() => {
        if (!reply.sent) done();
      }, done);
    });

    const refuseForeign = async (workspaceId: string, origin: string) => {
      if (await policy.refuses(workspaceId, origin)) {
        // The header is the caller's text: shortened, so an error body never grows with it.
        const shown = origin.length > 200 ? `${origin.slice(0, 200)}…` : origin;
        throw new InlayError('ACCESS_DENIED', `origin ${shown} is not allowed for this workspace.`, {
          hint: 'Add it with PUT /api/v1/workspace/settings.',
        });
      }
    };

    // Appended to the route's onRequest: the auth plugin puts its hook first, so the caller is known.
    const refuseForeignOrigin: onRequestHookHandler = (req, _reply, done) => {
      const origin = req.headers.origin;
      const caller = req.caller;
      if (!origin || caller?.kind !== 'token') return done();
      refuseForeign(caller.workspaceId, origin).then(() => done(), done);
    };

    const allowOrigin = async (req: FastifyRequest, reply: FastifyReply, origin: string) => {
      const caller = req.caller;
      const ok = caller
        ? await policy.allows(caller.workspaceId, origin)
        : await policy.allowsPreflight(origin);
      if (ok) {
        // Echoed even when allowed by `*`: the answer depends on the caller (hence `Vary: Origin`).
        reply.header('access-control-allow-origin', origin);
        reply.header('access-control-expose-headers', CORS_EXPOSED_HEADERS);
      }
    };
    // onSend sees every answer, the 401 of auth and the 403 above included.
    const headers: onSendHookHandler = (req, reply, payload, done) => {
      addVary(reply, 'Origin');
      const origin = req.headers.origin;
      if (!origin) return done(null, payload);
      allowOrigin(req, reply, origin).then(() => done(null, payload), done);
    };

    app.addHook('onRoute', (route) => {
      if (!routes.has(route.url) || [route.method].flat().includes('OPTIONS')) return;
      const onRequest = route.onRequest ? [route.onRequest].flat() : [];
      route.onRequest = [...onRequest, refuseForeignOrigin];
      const onSend = route.onSend ? [route.onSend].flat() : [];
      route.onSend = [...onSend, headers];
    });
  },
  { name: 'inlay-cors' },
);
