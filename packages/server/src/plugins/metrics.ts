import { createHash, timingSafeEqual } from 'node:crypto';
import { isInlayError } from '@inlay/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { QueryObserver, RejectReason } from '../limits/concurrency.js';
import { onEveryResponse } from './route-responses.js';

const METRICS_PATH = '/metrics';

/** Seconds; from a cache-speed answer to a query that hits the default 30 s timeout. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Status classes as label values, made once (`'2xx'`, …). */
const STATUS_CLASS = ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx'];

/**
 * The server's Prometheus metrics in a registry of their own (never prom-client's global one),
 * so two apps in one process, as in the tests, do not share or clash. Label values are route
 * patterns, status classes, connection types and error codes: bounded sets that never hold an
 * id, a token or a key.
 */
export interface Metrics extends QueryObserver {
  readonly registry: Registry;
  request(method: string, route: string, status: number, seconds: number): void;
  error(code: string, status: number): void;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const http = new Histogram({
    name: 'inlay_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern, method and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'inlay_http_errors_total',
    help: 'HTTP answers with status >= 400, by error code and status',
    labelNames: ['code', 'status'] as const,
    registers: [registry],
  });
  const db = new Histogram({
    name: 'inlay_db_query_duration_seconds',
    help: 'Database time per statement (the wait for a slot excluded), by connection type',
    labelNames: ['type', 'outcome'] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  const active = new Gauge({
    name: 'inlay_db_queries_running',
    help: 'Statements running, by connection type',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const queued = new Gauge({
    name: 'inlay_db_queries_queued',
    help: 'Statements waiting for a connection slot, by connection type',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'inlay_db_queries_rejected_total',
    help: 'Statements refused with 503 (queue full or waited too long), by connection type',
    labelNames: ['type', 'reason'] as const,
    registers: [registry],
  });
  return {
    registry,
    query(type, seconds, ok) {
      db.observe({ type, outcome: ok ? 'ok' : 'error' }, seconds);
    },
    rejected(type: string, reason: RejectReason) {
      rejected.inc({ type, reason });
    },
    slots(type, activeDelta, queuedDelta) {
      if (activeDelta) active.inc({ type }, activeDelta);
      if (queuedDelta) queued.inc({ type }, queuedDelta);
    },
    request(method, route, status, seconds) {
      http.observe(
        { method, route, status_class: STATUS_CLASS[Math.floor(status / 100)] ?? 'other' },
        seconds,
      );
    },
    error(code, status) {
      errors.inc({ code, status: String(status) });
    },
  };
}

export interface MetricsPluginOptions {
  metrics: Metrics;
}

export interface MetricsRouteOptions extends MetricsPluginOptions {
  /** When set, `GET /metrics` requires `Authorization: Bearer <token>`. */
  token?: string | undefined;
}

const errorCode = Symbol('inlay.metrics.errorCode');
declare module 'fastify' {
  interface FastifyRequest {
    [errorCode]?: string;
  }
}

/** The code the caller saw, from a bounded set (never free text from a driver). */
function codeOf(err: FastifyError): string {
  if (isInlayError(err)) return err.code;
  if (err.validation) return 'QUERY_INVALID';
  if (typeof err.code === 'string' && /^FST_[A-Z0-9_]{1,60}$/.test(err.code)) return err.code;
  return 'INTERNAL';
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The hooks that record every request but those to `/metrics`. */
export const metricsPlugin = fp<MetricsPluginOptions>(
  async (app: FastifyInstance, opts) => {
    const { metrics } = opts;

    app.addHook('onError', async (req: FastifyRequest, _reply: FastifyReply, err: FastifyError) => {
      req[errorCode] = codeOf(err);
    });

    // The pattern (`/api/v1/connections/:name`), never the URL; no route matched is one label.
    onEveryResponse(app, (req, reply, route) => {
      if (route === METRICS_PATH) return;
      const status = reply.statusCode;
      metrics.request(req.method, route ?? 'unmatched', status, reply.elapsedTime / 1000);
      if (status >= 400) metrics.error(req[errorCode] ?? `HTTP_${status}`, status);
    });
  },
  { name: 'inlay-metrics' },
);

/**
 * `GET /metrics` in Prometheus text. Registered after the auth plugin so it is in the route
 * table as `public`: it never takes the API key; a scraper gets its own secret, or none on a
 * private network.
 */
export const metricsRoute = fp<MetricsRouteOptions>(
  async (app: FastifyInstance, opts) => {
    const { metrics } = opts;
    const tokenHash = opts.token ? sha256(opts.token) : undefined;

    app.get(
      METRICS_PATH,
      {
        config: { auth: 'public' },
        schema: {
          tags: ['operations'],
          summary: 'Prometheus metrics (Bearer INLAY_METRICS_TOKEN when it is set)',
        },
        onRequest: (req, reply, done) => {
          if (!tokenHash) return done();
          const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
          if (m && timingSafeEqual(sha256(m[1]!), tokenHash)) return done();
          reply
            .code(401)
            .header('www-authenticate', 'Bearer')
            .type('application/json; charset=utf-8')
            .serializer(JSON.stringify)
            .send({ errorMessage: 'send Authorization: Bearer <INLAY_METRICS_TOKEN>' });
        },
      },
      async (_req, reply) => {
        const text = await metrics.registry.metrics();
        return reply.type(metrics.registry.contentType).send(text);
      },
    );
  },
  { name: 'inlay-metrics-route' },
);
