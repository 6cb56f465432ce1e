import type { Driver, Query, SecurityOptions } from '@inlay/core';
import {
  type CompiledQuery,
  compileFromRollup,
  compileQuery,
  executeCompiled,
  type RollupDef,
  type SemanticModel,
} from '@inlay/engine';
import {
  type CacheInfo,
  type Computed,
  type Freshness,
  freshnessOf,
  type L1,
  resultKey,
} from '../cache/index.js';
import type { Preaggs } from '../preaggs/index.js';
import type { SourceConnection, SourceMap } from '../workspaces/index.js';

export interface LoadRequest {
  workspace: string;
  /** How the request's environment maps data sources to connections. */
  sources: SourceMap;
  /** The driver of the connection the query's data source maps to. */
  driverFor: (source: SourceConnection) => Promise<Driver>;
  model: SemanticModel;
  query: Query;
  security: SecurityOptions;
  maxRows: number;
  timeoutMs: number;
  /** The caller's hang-up, made only when the answer has to be computed (most hits never need it). */
  signal?: () => AbortSignal;
}

export interface LoadAnswer {
  /** `{data, annotation, total?}` as UTF-8 JSON bytes. */
  body: Buffer;
  rows: number;
  cache: CacheInfo;
  /**
   * Where the answer is kept, when a repeat of the same request can be answered from L1 by this
   * alone for as long as nothing it was resolved from changes (see `RepeatHits`): compiling did
   * not read the clock and no `refresh_key.sql` decides its freshness.
   */
  repeat?: RepeatRoute;
}

/** An L1 entry's key and freshness, and the rollup table version it was read from (L2). */
export interface RepeatRoute {
  key: string;
  everyMs: number;
  environment: string;
  rollup?: { def: RollupDef; table: string; version: string; source: string };
}

/**
 * What goes before a cached `{…}`'s bytes after its `{`: `{"cache":{…},`, as `JSON.stringify`
 * writes the cache info (`info` in result-cache.ts makes every one: these keys in this order,
 * `stale` only ever `true`), written out here: the general serialiser was the costliest of an L1
 * hit's own functions in a profile. ASCII (level, integers, an ISO time), so its length is its
 * byte length.
 */
export function cacheHead(c: CacheInfo): string {
  return (
    `{"cache":{"level":"${c.level}","age_ms":${JSON.stringify(c.age_ms)},"refreshed_at":${JSON.stringify(c.refreshed_at)}` +
    `${c.stale === undefined ? '' : `,"stale":${c.stale}`}},`
  );
}

/**
 * `{…}` + cache info → the response bytes, without parsing, re-serialising or re-encoding the
 * answer: one buffer, the short head written into it, the cached bytes copied after it.
 */
export function withCache(answer: LoadAnswer): Buffer {
  const head = cacheHead(answer.cache);
  const out = Buffer.allocUnsafe(head.length + answer.body.length - 1);
  out.write(head, 0, 'latin1');
  answer.body.copy(out, head.length, 1);
  return out;
}

/** `l1; age_ms=1200; stale` — the body's `cache` for clients that read only headers. */
export function cacheHeader(c: CacheInfo): string {
  return `${c.level}; age_ms=${c.age_ms}${c.stale ? '; stale' : ''}`;
}

/** Where a query will run: a rollup in the L2 store, or the connection. */
interface Target {
  compiled: CompiledQuery;
  /** What the SQL runs on, as the L1 key names it. */
  connection: string;
  dialect: string;
  run: Pick<Driver, 'query'>;
  source: Computed['source'];
  /** When the rows were read from the source (a rollup's build time). */
  dataAt?: number;
  /** The query's data source and its connection (refresh keys run there). */
  origin: SourceConnection;
  /** Its driver, opened only when a refresh key or the query itself runs on it. */
  originDriver: Pick<Driver, 'query'>;
  /** The rollup and the table version that answer (L2 only). */
  rollup?: { def: RollupDef; table: string; version: string };
  /** A compiled form read the clock ("last 7 days"): its key moves with time. */
  usesNow: boolean;
}

/** The driver of `origin`, opened (or found) on its first statement: most L1 hits never need it. */
function lazyDriver(req: LoadRequest, origin: SourceConnection): Pick<Driver, 'query'> {
  return { query: async (sql, params, options) => (await req.driverFor(origin)).query(sql, params, options) };
}

/** L2 when a built rollup provably gives the same answer (the engine decides), else the database. */
function target(l1: L1, preaggs: Preaggs | undefined, req: LoadRequest): Target {
  const { model, sources } = req;
  const environment = sources.environment;
  let l2UsesNow = false;
  const dialect = (dataSource: string) => sources.resolve(dataSource).type;
  let source: CompiledQuery | undefined;
  if (preaggs) {
    const locate = preaggs.locator(req.workspace, environment);
    // Without a rollup the answer carries the query compiled for its database (planned once), so
    // the key names the dialects too.
    const l2 = l1.compiled.get(model, `l2 ${req.workspace} ${environment} ${sources.dialects}`, req, (now) =>
      compileFromRollup(model, req.query, {
        security: req.security,
        maxLimit: req.maxRows,
        now,
        locate,
        dialect,
      }),
    );
    if (!l2.rollup) source = l2.source;
    const served = l2.rollup && preaggs.reader.describe(req.workspace, environment, l2.rollup);
    if (l2.rollup && served) {
      const origin = sources.resolve(l2.compiled.dataSource);
      // Built from the connection the environment maps now, else (remapped or changed since the
      // build, and the reader has not caught up yet) the database answers.
      if (served.source === origin.key) {
        return {
          compiled: l2.compiled,
          // The table keeps its name across rebuilds; its version is what changes.
          connection: `l2:${served.table}@${served.version}`,
          dialect: 'duckdb',
          run: preaggs.reader,
          source: 'l2',
          dataAt: Date.parse(served.builtAt),
          origin,
          originDriver: lazyDriver(req, origin),
          rollup: { def: l2.rollup, table: served.table, version: served.version },
          usesNow: l2.usesNow,
        };
      }
    }
    l2UsesNow = l2.usesNow;
  }
  // Compiled for the dialect of the data source the query's cubes share (the engine finds it).
  const compiled =
    source ??
    l1.compiled.get(model, sources.dialects, req, (now) =>
      compileQuery(model, req.query, { dialect, security: req.security, maxLimit: req.maxRows, now }),
    );
  const origin = sources.resolve(compiled.dataSource);
  const originDriver = lazyDriver(req, origin);
  return {
    compiled,
    connection: origin.key,
    dialect: origin.type,
    run: originDriver,
    source: 'none',
    origin,
    originDriver,
    usesNow: l2UsesNow || compiled.usesNow,
  };
}

interface Keyed {
  key: string;
  freshness: Freshness;
}
// Compiled queries are memoised, so their keys (a sha256 over the SQL and every parameter) can be too.
const keys = new WeakMap<CompiledQuery, Map<string, Keyed>>();

/** The L1 key of a compiled query on one connection, computed once per compiled form. */
function keyOf(
  l1: L1,
  model: SemanticModel,
  compiled: CompiledQuery,
  where: { workspace: string; environment: string; connection: string; dialect: string },
): Keyed {
  const id = `${where.workspace}\u0000${where.environment}\u0000${where.connection}\u0000${where.dialect}`;
  let byWhere = keys.get(compiled);
  if (!byWhere) {
    byWhere = new Map();
    keys.set(compiled, byWhere);
  }
  let keyed = byWhere.get(id);
  if (!keyed) {
    keyed = {
      key: resultKey({
        ...where,
        modelVersion: model.version,
        sql: compiled.sql,
        params: compiled.params,
        total: compiled.total,
        columns: compiled.columns.map((c) => c.keys),
        timezone: compiled.plan.timezone,
      }),
      freshness: freshnessOf(model, compiled.plan.cubes, l1.defaultEveryMs),
    };
    byWhere.set(id, keyed);
  }
  return keyed;
}

/**
 * One `/load`: compile with row-level security applied (against a rollup when one can answer),
 * then answer through L1. The key is built from the compiled SQL and its bound parameters, so the
 * security context is in it by construction: two tenants share an entry only when their SQL and
 * parameters are identical.
 */
export async function answerLoad(
  l1: L1,
  preaggs: Preaggs | undefined,
  req: LoadRequest,
): Promise<LoadAnswer> {
  const { model } = req;
  const t = target(l1, preaggs, req);
  const { compiled } = t;
  const { key, freshness } = keyOf(l1, model, compiled, {
    workspace: req.workspace,
    environment: req.sources.environment,
    connection: t.connection,
    dialect: t.dialect,
  });
  // A rollup's freshness is its build: refresh keys are the builder's business, not L1's.
  const sqlKeys = t.source === 'l2' ? [] : freshness.sqlKeys;
  const { entry, cache } = await l1.results.load({
    key,
    everyMs: freshness.everyMs,
    // Without refresh keys there is nothing to read: a hit then needs no promise for it.
    refreshValues:
      sqlKeys.length > 0 ? () => l1.refreshKeys.current(t.origin.key, t.originDriver, sqlKeys) : undefined,
    renew: req.query.renewQuery === true,
    compute: async (signal) => {
      const value = await executeCompiled(t.run, compiled, { timeoutMs: req.timeoutMs, signal });
      return {
        body: Buffer.from(JSON.stringify(value), 'utf8'),
        rows: value.data.length,
        source: t.source,
        ...(t.dataAt !== undefined ? { dataAt: t.dataAt } : {}),
      };
    },
    ...(req.signal ? { signal: req.signal } : {}),
  });
  const repeat: RepeatRoute | undefined =
    t.usesNow || sqlKeys.length > 0 || req.query.renewQuery === true
      ? undefined
      : {
          key,
          everyMs: freshness.everyMs,
          environment: req.sources.environment,
          ...(t.rollup ? { rollup: { ...t.rollup, source: t.origin.key } } : {}),
        };
  return { body: entry.body, rows: entry.rows, cache, ...(repeat ? { repeat } : {}) };
}
