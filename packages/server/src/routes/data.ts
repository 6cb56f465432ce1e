import {
  DEFAULT_ENVIRONMENT,
  type ParamValue,
  type SecurityOptions,
  validatedQuerySchema,
} from '@inlay/core';
import { compileFromRollup, compileQuery } from '@inlay/engine';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { L1 } from '../cache/index.js';
import type { DashboardSource } from '../dashboards/index.js';
import { errorBody } from '../plugins/errors.js';
import { memoiseRepeatBodies } from '../plugins/repeat-bodies.js';
import type { Preaggs } from '../preaggs/index.js';
import { answerLoad, cacheHeader, type LoadAnswer, withCache } from '../query/answer.js';
import { RepeatHits } from '../query/repeat-hits.js';
import { callerScope, DRILL_HEADER } from '../tokens/index.js';
import type { WorkspaceResolver } from '../workspaces/index.js';
import type { FrontDoor } from './front-door.js';

export interface DataRouteOptions {
  workspaces: WorkspaceResolver;
  /** The L1 result cache (and single flight) every `/load` goes through. */
  l1: L1;
  /** L2: rollups that answer eligible queries (with a store only). */
  preaggs?: Preaggs | undefined;
  queryTimeoutMs: number;
  maxRows: number;
  /** The dashboards security tokens are scoped to. */
  dashboards: DashboardSource;
  /** Answers repeated token requests before Fastify, from the memos made here. */
  frontDoor?: FrontDoor | undefined;
}

const previewBody = z.strictObject({
  // Validated here once: the engine does not validate it again.
  query: validatedQuerySchema,
  securityContext: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Run as this security context (as a token would carry it). Default {}.'),
  roles: z
    .array(z.string().min(1).max(100))
    .max(50)
    .optional()
    .describe("Access-policy roles. Default ['default']."),
  environment: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('Run on the connections this environment maps. Default: the implicit `default`.'),
});

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const memberAnnotation = z.object({
  title: z.string(),
  shortTitle: z.string(),
  type: z.string(),
  format: z.string().optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});
const annotations = z.record(z.string(), memberAnnotation);

const loadResponse = z
  .object({
    data: z.array(z.record(z.string(), cell)),
    annotation: z.object({
      measures: annotations,
      dimensions: annotations,
      segments: annotations,
      timeDimensions: annotations,
    }),
    total: z.number().optional(),
    cache: z
      .object({
        level: z.enum(['l1', 'l2', 'none']),
        age_ms: z.number(),
        refreshed_at: z.string(),
        stale: z.boolean().optional(),
      })
      .describe(
        'Which level answered (l1 result cache, l2 pre-aggregation, none: the database) and how old the data is',
      ),
  })
  .meta({ id: 'LoadResponse' });

const sqlParam = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.object({ kind: z.literal('timestamp'), utc: z.string() }),
]);
const sqlResponse = z.object({
  dialect: z.string(),
  dataSource: z.string().describe("The data_source the query's cubes share: it runs there"),
  connection: z.string().describe('The connection the environment maps that data source to'),
  sql: z.string(),
  params: z.array(sqlParam),
  total: z.object({ sql: z.string(), params: z.array(sqlParam) }).optional(),
  rollup: z
    .union([z.object({ id: z.string(), sql: z.string() }), z.object({ reason: z.string() })])
    .optional()
    .describe('The rollup /load would answer from (and its DuckDB SQL), or why none can'),
  plan: z.object({
    root: z.string(),
    dataSource: z.string(),
    joins: z.array(z.string()),
    multiplied: z.array(z.string()),
    timezone: z.string(),
    roles: z.array(z.string()),
  }),
});

const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 413: errorBody };
const common = { tags: ['data'], security: [{ apiKey: [] }] };

/** No context and no roles is role `default` with `{}`: as closed as a token that carries nothing. */
function securityOf(body: z.output<typeof previewBody>): SecurityOptions {
  return { securityContext: body.securityContext ?? {}, ...(body.roles ? { roles: body.roles } : {}) };
}

/** JSON has no bigint; a parameter that big is shown as its decimal text. */
function jsonParams(params: ParamValue[]): z.input<typeof sqlParam>[] {
  return params.map((p) => (typeof p === 'bigint' ? p.toString() : p));
}

/** Aborts the database work when the caller hangs up before the answer is sent. */
function abortOnHangup(reply: FastifyReply): AbortSignal {
  const ac = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) ac.abort();
  });
  return ac.signal;
}

/**
 * The answer as JSON bytes (cached as such; a Buffer is sent as it is, never serialised); the
 * route's schema documents it. Its cache level goes in a header and in the request's log line.
 */
function send(req: FastifyRequest, reply: FastifyReply, answer: LoadAnswer) {
  reply.header('x-inlay-cache', cacheHeader(answer.cache));
  req.logFields = { cache: answer.cache.level };
  // The typed reply expects the schema's object; the bytes are that object, serialised.
  return reply.type('application/json; charset=utf-8').send(withCache(answer) as never);
}

/**
 * Dev and preview data access with the workspace API key: the same engine and the same rules
 * as a security token, with the context and roles given in the body.
 */
export const dataRoutes: FastifyPluginAsyncZod<DataRouteOptions> = async (app, opts) => {
  const { workspaces, dashboards } = opts;
  const bodies = memoiseRepeatBodies(app);
  const hits = new RepeatHits(opts.l1, dashboards, opts.preaggs);
  opts.frontDoor?.attach(hits, bodies);

  app.post(
    '/api/v1/load',
    {
      // A signed-in viewer previews (as the body's security context), as the API key does.
      config: { auth: 'apiKeyOrToken', role: 'viewer' },
      schema: {
        ...common,
        security: [{ apiKey: [] }, { securityToken: [] }, { session: [] }],
        summary: 'Run a query: with a security token as its claims say, with the API key as the body says',
        body: previewBody,
        response: { 200: loadResponse, ...errors },
      },
    },
    (req, reply) => {
      const started = performance.now();
      const caller = req.caller;
      const debug = req.log.level === 'debug' || req.log.level === 'trace';
      // A dashboard's repeated request: straight to its L1 entry while nothing it was resolved from
      // changed (drill-downs, `renewQuery` and debug logging with its details take the full path).
      const repeatable =
        caller?.kind === 'token' &&
        !debug &&
        !req.headers[DRILL_HEADER] &&
        req.body.query.renewQuery !== true;
      if (repeatable) {
        const hit = hits.answer(caller.claims, req.body);
        if (hit) {
          // Answered without a promise: Fastify's handling of an async handler's result is skipped too.
          send(req, reply, { body: hit.entry.body, rows: hit.entry.rows, cache: hit.cache });
          return;
        }
      }
      return (async () => {
        // With a token: its claims, and only its dashboard's cubes (checked before any work).
        const { security, environment, dashboard, modelVersion } = await callerScope(
          req,
          req.body,
          dashboards,
        );
        const workspace = await workspaces.of(req);
        // A token answers with the models its dashboard version pins, not whatever was pushed since.
        const model = await workspace.getModel(modelVersion);
        // Each cube's data_source, through the token's (or the body's) environment.
        const sources = await workspace.sources(environment ?? DEFAULT_ENVIRONMENT);
        const result = await answerLoad(opts.l1, opts.preaggs, {
          workspace: workspace.id,
          sources,
          driverFor: workspace.driverFor,
          model,
          query: req.body.query,
          security,
          timeoutMs: opts.queryTimeoutMs,
          maxRows: opts.maxRows,
          signal: () => abortOnHangup(reply),
        });
        if (repeatable && result.repeat && dashboard) {
          const used = { workspace, modelVersion, dashboard, model, sources };
          void hits.remember(caller.claims, req.body, used, result.repeat);
        }
        // The request line says route, status, time and cache level; what was asked is for debugging.
        if (debug) {
          req.log.debug(
            {
              query: req.body.query,
              roles: security.roles,
              securityContext: security.securityContext,
              ...(dashboard ? { embeddableId: dashboard.id } : {}),
              rows: result.rows,
              cache: result.cache.level,
              ms: Math.round(performance.now() - started),
            },
            'load',
          );
        }
        return send(req, reply, result);
      })();
    },
  );

  app.post(
    '/api/v1/sql',
    {
      config: { auth: 'apiKey', role: 'viewer' },
      schema: {
        ...common,
        summary: 'Dry run: the SQL, bound parameters and plan a query would run, without running it',
        body: previewBody,
        response: { 200: sqlResponse, ...errors },
      },
    },
    async (req) => {
      const workspace = await workspaces.of(req);
      const model = await workspace.getModel();
      const environment = req.body.environment ?? DEFAULT_ENVIRONMENT;
      const sources = await workspace.sources(environment);
      const compiled = compileQuery(model, req.body.query, {
        dialect: (dataSource) => sources.resolve(dataSource).type,
        security: securityOf(req.body),
        maxLimit: opts.maxRows,
      });
      const l2 = opts.preaggs
        ? compileFromRollup(model, req.body.query, {
            security: securityOf(req.body),
            maxLimit: opts.maxRows,
            locate: opts.preaggs.locator(workspace.id, environment),
          })
        : undefined;
      const source = sources.resolve(compiled.dataSource);
      return {
        dialect: source.type,
        dataSource: compiled.dataSource,
        connection: source.connection,
        sql: compiled.sql,
        params: jsonParams(compiled.params),
        ...(compiled.total
          ? { total: { sql: compiled.total.sql, params: jsonParams(compiled.total.params) } }
          : {}),
        plan: compiled.plan,
        // Why /load would (or would not) answer from a rollup: the first thing to ask when it is slow.
        ...(l2
          ? { rollup: l2.rollup ? { id: l2.rollup.id, sql: l2.compiled.sql } : { reason: l2.reason } }
          : {}),
      };
    },
  );
};
