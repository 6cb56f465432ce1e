import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import pino from 'pino';
import { onEveryResponse } from './route-responses.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** What the request's log line says about its answer besides the status: cache level, error code. */
    logFields?: { cache?: string; code?: string };
  }
}

/**
 * Log paths that may hold a secret. Headers are not in the request line, but a route that logs
 * `req` at `debug` gets them, so the Authorization header is the one that matters most; bodies
 * are never logged whole.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.credentials',
  '*.token',
  'securityContext',
  '*.securityContext',
];

/** A secret put in a URL by mistake (`?token=…` is refused, but the request is still logged). */
export function redactUrl(url: string): string {
  if (!url.includes('=')) return url;
  return url.replace(/([?&](?:token|access_token|api_key|apiKey|key)=)[^&#]*/gi, '$1[redacted]');
}

/** Pino options (level, stream) with redaction always on; `false` for silence. */
export type LoggerSettings = false | { level?: string; stream?: { write(line: string): void } };

export interface AppLoggers {
  /** Fastify's logger (`app.log`, and each request's `req.log`): everything it logs is redacted. */
  logger: FastifyBaseLogger;
  /**
   * The request line's own logger, on the same stream: its fields are ours (the URL already
   * redacted), so it skips redaction, which cost as much as the rest of the line.
   */
  requestLog: pino.Logger;
}

export function createLoggers(settings: Exclude<LoggerSettings, false> | undefined): AppLoggers {
  const level = settings?.level ?? 'info';
  const stream = settings?.stream ?? pino.destination(1);
  return {
    logger: pino(
      {
        level,
        redact: { paths: REDACT_PATHS, censor: '[redacted]' },
        serializers: {
          req: (req: { method: string; url: string; headers: Record<string, unknown>; ip?: string }) => ({
            method: req.method,
            url: redactUrl(req.url),
            headers: req.headers,
            remoteAddress: req.ip,
          }),
        },
      },
      stream,
    ),
    requestLog: pino({ level }, stream),
  };
}

type LogFn = (...args: unknown[]) => void;

/**
 * A request's logger, made only when the request logs something: Fastify makes one child logger
 * per request, and most requests (the request line has its own logger) never use it.
 */
class LazyChildLogger {
  #real: FastifyBaseLogger | undefined;
  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: pino.Bindings,
    private readonly options: pino.ChildLoggerOptions,
  ) {}
  private get real(): FastifyBaseLogger {
    this.#real ??= this.parent.child(this.bindings, this.options);
    return this.#real;
  }
  get level(): string {
    return this.#real?.level ?? this.parent.level;
  }
  set level(level: string) {
    this.real.level = level;
  }
  fatal(...args: unknown[]): void {
    (this.real.fatal as LogFn)(...args);
  }
  error(...args: unknown[]): void {
    (this.real.error as LogFn)(...args);
  }
  warn(...args: unknown[]): void {
    (this.real.warn as LogFn)(...args);
  }
  info(...args: unknown[]): void {
    (this.real.info as LogFn)(...args);
  }
  debug(...args: unknown[]): void {
    (this.real.debug as LogFn)(...args);
  }
  trace(...args: unknown[]): void {
    (this.real.trace as LogFn)(...args);
  }
  silent(): void {}
  child(bindings: pino.Bindings, options?: pino.ChildLoggerOptions): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`: a lazy child per request. */
export function lazyChildLogger(
  logger: FastifyBaseLogger,
  bindings: pino.Bindings,
  options: pino.ChildLoggerOptions,
): FastifyBaseLogger {
  return new LazyChildLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}

/** The request line's fields, in the order the line has them; undefined ones are left out, as pino does. */
export interface RequestLine {
  reqId: string;
  method: string;
  url: string;
  route: string | undefined;
  status: number;
  ms: number;
  cache: string | undefined;
  code: string | undefined;
}

const text = (key: string, value: string | undefined) =>
  value === undefined ? '' : `,"${key}":${JSON.stringify(value)}`;

/** Writes request lines; `fixed` makes a writer for one kind of line whose constant part is made once. */
export interface RequestLineWriter {
  (line: RequestLine): void;
  /**
   * The same lines for requests whose method, URL, route and status are always these (the front
   * door's answers): their text is put together once, not on every line.
   */
  fixed(
    constant: Pick<RequestLine, 'method' | 'url' | 'route' | 'status'>,
  ): (reqId: string, ms: number, cache: string | undefined) => void;
}

/**
 * The request line as pino writes it (`{"level":30,"time":…,"pid":…,"hostname":…,<fields>,"msg":"request"}`),
 * put together from our own fields (every text value through `JSON.stringify`): pino's general
 * path (a key loop with serialiser and redaction checks per field) cost as much as the rest of a
 * cached answer's own work. Written to the logger's own stream, so lines still interleave whole.
 */
export function requestLineWriter(logger: pino.Logger): RequestLineWriter | undefined {
  if (!logger.isLevelEnabled('info')) return undefined;
  const stream = (logger as unknown as Record<symbol, { write(line: string): void }>)[
    pino.symbols.streamSym
  ]!;
  const bindings = (logger as unknown as Record<symbol, string>)[pino.symbols.chindingsSym] ?? '';
  const start = `{"level":${logger.levels.values.info},"time":`;
  const middle = (l: Pick<RequestLine, 'method' | 'url' | 'route' | 'status'>) =>
    `${text('method', l.method)}${text('url', l.url)}${text('route', l.route)},"status":${l.status},"ms":`;
  const write: RequestLineWriter = (l) => {
    stream.write(
      `${start}${Date.now()}${bindings}${text('reqId', l.reqId)}${middle(l)}${l.ms}` +
        `${text('cache', l.cache)}${text('code', l.code)},"msg":"request"}\n`,
    );
  };
  write.fixed = (constant) => {
    const fixed = middle(constant);
    return (reqId, ms, cache) => {
      stream.write(
        `${start}${Date.now()}${bindings}${text('reqId', reqId)}${fixed}${ms}${text('cache', cache)},"msg":"request"}\n`,
      );
    };
  };
  return write;
}

/**
 * One log line per request, written when the answer has gone: method, URL (secrets redacted),
 * route, status, milliseconds, and the cache level or error code when there is one, with the
 * request id. It replaces Fastify's two lines per request (the first with every header through
 * redaction), which at a few thousand cached answers a second cost more than the answers. A
 * route's details (the query, its rows) are logged at `debug` on `req.log`.
 */
export const requestLogPlugin = fp(
  async (app: FastifyInstance, { requestLog }: { requestLog: pino.Logger }) => {
    app.decorateRequest('logFields', undefined);
    const write = requestLineWriter(requestLog);
    if (!write) return;
    onEveryResponse(app, (req, reply, route) => {
      const extra = req.logFields;
      write({
        reqId: req.id,
        method: req.method,
        url: redactUrl(req.url),
        route,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 100) / 100,
        // Undefined fields are left out of the line, as pino leaves them out.
        cache: extra?.cache,
        code: extra?.code,
      });
    });
  },
  { name: 'inlay-request-log' },
);
