import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';
import { Readable } from 'node:stream';
import type { TokenClaims } from '@inlay/core';
import type { FastifyInstance, FastifyServerOptions, preParsingHookHandler } from 'fastify';
import { CORS_EXPOSED_HEADERS, type OriginPolicy } from '../plugins/cors.js';
import type { RequestLineWriter } from '../plugins/logging.js';
import type { Metrics } from '../plugins/metrics.js';
import { type RateBudget, tokenRateKey } from '../plugins/rate-limit.js';
import type { RepeatBodies } from '../plugins/repeat-bodies.js';
import { cacheHead, cacheHeader } from '../query/answer.js';
import type { RepeatHits } from '../query/repeat-hits.js';
import { DRILL_HEADER } from '../tokens/index.js';

/** The one route the front door answers: a dashboard's repeated `/load` with a security token. */
export const FRONT_DOOR_ROUTE = '/api/v1/load';
/** Only bodies the repeat-body memo keeps can be known repeats (`memoiseRepeatBodies`' limit). */
const MAX_BODY_BYTES = 4096;
const JSON_UTF8 = 'application/json; charset=utf-8';
/** The bytes the front door read and did not answer: Fastify's body parser reads these instead. */
const bodyRead = Symbol('inlay.frontDoor.body');

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
type ReadRequest = IncomingMessage & { [bodyRead]?: Buffer };

export interface FrontDoorOptions {
  /** The claims of a token already verified and not expired (its `exp` read on each call). */
  verifiedToken: (token: string) => TokenClaims | undefined;
  /** Store-less apps take only tokens of their own workspace (as the auth plugin does). */
  onlyWorkspace: string | undefined;
  origins: OriginPolicy;
  /** The rate limit's counters, when it is on. */
  rateLimit: RateBudget | undefined;
  /** Whether the app logs at `debug` now: then the route logs each load's details, so it answers. */
  debugLogging: () => boolean;
  requestLine: RequestLineWriter | undefined;
  metrics: Metrics | undefined;
  /** The app's request ids (`genReqId`): one sequence for both doors. */
  nextRequestId: () => string;
}

/** Fastify's default request ids (`req-1`, `req-2`, … in base 36), as a `genReqId` both doors share. */
export function requestIds(): () => string {
  let next = 0;
  return () => {
    next = (next + 1) & 2147483647;
    return `req-${next.toString(36)}`;
  };
}

/**
 * Answers a dashboard's repeated token `/load` before Fastify's request lifecycle, which on such a
 * hit (answered by `RepeatHits` in ~3 µs) costs several times the answer: routing, the auth, origin,
 * CORS, log and metrics hooks, the body parser, the reply. The front door does what those steps
 * would do for this one kind of request, and nothing for any other:
 * - `POST /api/v1/load` exactly, `Authorization: Bearer <a token the auth plugin already verified,
 *   not expired>`, `Content-Type: application/json`, a body of at most 4 KiB with its length given,
 *   no drill-down header, no debug logging;
 * - an `Origin` is answered only while the origin policy's lists are in memory and fresh, and never
 *   when the token's workspace refuses it (the full path's 403);
 * - the body bytes are a text the repeat-body memo parsed and the route validated (the same frozen
 *   object), without `renewQuery`, and `RepeatHits` holds a fresh L1 answer for that token and body;
 * - with the rate limit on, the token's budget (the limiter's own counters) allows one more.
 * It writes the bytes and headers the route would, the same request line and the same metrics.
 * Anything else (any doubt) goes to Fastify unchanged; a body already read reaches Fastify's parser
 * through `preParsing`, so limits and errors are the full path's own. A request over the limit is
 * counted again there and refused as always (a window's count past the limit changes nothing).
 */
export class FrontDoor {
  private hits: RepeatHits | undefined;
  private bodies: RepeatBodies | undefined;
  private closing = false;
  /** The request line of a fast answer: only its id, time and cache level vary. */
  private readonly line: ((reqId: string, ms: number, cache: string) => void) | undefined;

  constructor(private readonly opts: FrontDoorOptions) {
    this.line = opts.requestLine?.fixed({
      method: 'POST',
      url: FRONT_DOOR_ROUTE,
      route: FRONT_DOOR_ROUTE,
      status: 200,
    });
  }

  /** The data routes' repeat memos, once they exist (until then every request goes to Fastify). */
  attach(hits: RepeatHits, bodies: RepeatBodies): void {
    this.hits = hits;
    this.bodies = bodies;
  }

  /**
   * The app's `preParsing` for the front door's route (a body already read is parsed from its
   * bytes), and the end of fast answers when the app starts closing (Fastify then answers 503).
   */
  install(app: FastifyInstance): void {
    const fromBytes: preParsingHookHandler = (req, _reply, payload, done) => {
      const bytes = (req.raw as ReadRequest)[bodyRead];
      if (bytes === undefined) return done(null, payload);
      (req.raw as ReadRequest)[bodyRead] = undefined;
      done(null, Readable.from([bytes]));
    };
    app.addHook('onRoute', (route) => {
      if (route.url !== FRONT_DOOR_ROUTE) return;
      const existing = route.preParsing ? [route.preParsing].flat() : [];
      route.preParsing = [fromBytes, ...existing];
    });
    app.addHook('preClose', (done) => {
      this.closing = true;
      done();
    });
  }

  /** Fastify's `serverFactory`: its own HTTP/1 server settings, with the front door before its handler. */
  serverFactory = (handler: Handler, options: FastifyServerOptions & { http?: ServerOptions }): Server => {
    const server = createServer(options.http ?? {}, (req, res) => this.receive(req, res, handler));
    server.keepAliveTimeout = options.keepAliveTimeout!;
    server.requestTimeout = options.requestTimeout!;
    server.setTimeout(options.connectionTimeout!);
    if (options.maxRequestsPerSocket! > 0) server.maxRequestsPerSocket = options.maxRequestsPerSocket!;
    return server;
  };

  private receive(req: ReadRequest, res: ServerResponse, handler: Handler): void {
    const claims = this.eligible(req);
    if (!claims) {
      handler(req, res);
      return;
    }
    const started = performance.now();
    // The parser frames the body by its content-length, so once that many bytes came there are no
    // more: the answer goes then, not a tick later through the stream's 'end' (and two listeners
    // more). A request that fails before (the client gone) has its socket destroyed by Node and
    // is never answered; an IncomingMessage emits no 'error' without a listener.
    const length = Number(req.headers['content-length']);
    const chunks: Buffer[] = [];
    let got = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      got += chunk.length;
      if (got < length) return;
      req.off('data', onData);
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      let answered = false;
      try {
        answered = this.answer(req, res, claims, bytes, started);
      } catch {
        answered = res.headersSent;
      }
      if (answered) return;
      req[bodyRead] = bytes;
      handler(req, res);
    };
    req.on('data', onData);
  }

  /** The token's claims when the headers allow a fast answer; undefined sends the request to Fastify. */
  private eligible(req: IncomingMessage): TokenClaims | undefined {
    if (req.method !== 'POST' || req.url !== FRONT_DOOR_ROUTE || this.closing || !this.hits) return undefined;
    const h = req.headers;
    const auth = h.authorization;
    // The exact form the auth plugin remembers tokens under; any other goes through its full check.
    if (auth === undefined || !auth.startsWith('Bearer ')) return undefined;
    if (h['content-type'] !== 'application/json' || h['transfer-encoding'] !== undefined) return undefined;
    if (h[DRILL_HEADER] !== undefined || h['content-encoding'] !== undefined) return undefined;
    const length = Number(h['content-length']);
    if (!(length > 0 && length <= MAX_BODY_BYTES) || this.opts.debugLogging()) return undefined;
    const claims = this.opts.verifiedToken(auth.slice(7));
    if (!claims) return undefined;
    const { onlyWorkspace } = this.opts;
    if (onlyWorkspace !== undefined && claims.workspaceId !== onlyWorkspace) return undefined;
    return claims;
  }

  /** Writes the route's answer when it is a known repeat; false (nothing written) otherwise. */
  private answer(
    req: IncomingMessage,
    res: ServerResponse,
    claims: TokenClaims,
    bytes: Buffer,
    started: number,
  ): boolean {
    // Read as Fastify's parser reads it, so the memo finds the same text.
    const body = this.bodies!.validated('POST', FRONT_DOOR_ROUTE, bytes.toString('utf8')) as
      | { query?: { renewQuery?: unknown } }
      | undefined;
    if (!body || body.query?.renewQuery === true) return false;
    const origin = req.headers.origin;
    const cors = origin === undefined ? undefined : this.opts.origins.peek(claims.workspaceId, origin);
    if (origin !== undefined && (!cors || cors.refuses)) return false;
    const hit = this.hits!.answer(claims, body);
    if (!hit) return false;
    const spent = this.opts.rateLimit?.spend(tokenRateKey(claims));
    if (spent?.exceeded) return false;
    return this.respond(res, cacheHead(hit.cache), hit.entry.body, {
      level: hit.cache.level,
      header: cacheHeader(hit.cache),
      allowOrigin: cors?.allows ? origin : undefined,
      rateHeaders: spent?.headers,
      started,
    });
  }

  /**
   * The route's 200 (`head` and the stored answer after its `{`, the bytes `withCache` would copy
   * into one new buffer, written as two chunks of one write instead), then its request line and
   * metrics, as Fastify's reply and hooks give them.
   */
  private respond(
    res: ServerResponse,
    head: string,
    stored: Buffer,
    a: {
      level: string;
      header: string;
      allowOrigin: string | undefined;
      rateHeaders: Record<string, string> | undefined;
      started: number;
    },
  ): true {
    const reqId = this.opts.nextRequestId();
    // A flat list (names and values in turn) in the order the route's hooks set them, the rate
    // limit's first: Node writes it as it is, where an object costs a copy and a key walk.
    const headers: (string | number)[] = [];
    if (a.rateHeaders) for (const name in a.rateHeaders) headers.push(name, a.rateHeaders[name]!);
    headers.push('x-inlay-cache', a.header, 'content-type', JSON_UTF8, 'vary', 'Origin');
    if (a.allowOrigin !== undefined) {
      headers.push(
        'access-control-allow-origin',
        a.allowOrigin,
        'access-control-expose-headers',
        CORS_EXPOSED_HEADERS,
      );
    }
    headers.push('content-length', head.length + stored.length - 1);
    res.writeHead(200, headers as string[]);
    // Corked here, so the two writes leave as one (`end` uncorks) without Node's own cork and the
    // tick that would undo it.
    res.socket?.cork();
    res.write(head, 'latin1');
    res.end(stored.subarray(1));
    const ms = performance.now() - a.started;
    this.line?.(reqId, Math.round(ms * 100) / 100, a.level);
    this.opts.metrics?.request('POST', FRONT_DOOR_ROUTE, 200, ms / 1000);
    return true;
  }
}
