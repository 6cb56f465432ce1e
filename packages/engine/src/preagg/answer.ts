import type { Filter, Query, QueryInput, SecurityOptions } from '@inlay/core';
import {
  type CompiledQuery,
  type CompileOptions,
  DEFAULT_LIMIT,
  DEFAULT_MAX_LIMIT,
  totalQuery,
} from '../compile.js';
import { getDialect } from '../dialects/index.js';
import type { SemanticModel } from '../graph/types.js';
import type { OutputColumn } from '../plan/columns.js';
import { type Plan, plan } from '../plan/planner.js';
import { Renderer } from '../plan/render.js';
import { buildStatements } from '../plan/statements.js';
import { annotate } from '../run/annotate.js';
import { printStatement } from '../sql/print.js';
import type { Select, Statement } from '../sql/tree.js';
import { Clock } from '../time/clock.js';
import { rollupsOf } from './define.js';
import { eligibility } from './eligible.js';
import { granularityRank } from './granularity.js';
import { ROLLUP_CUBE, rollupModel } from './rollup-model.js';
import type { RollupDef, RollupLocator } from './types.js';

export type PlanFromRollupOptions = Omit<CompileOptions, 'dialect'> & { locate: RollupLocator };

/** Reasons that hold for every rollup, checked once. */
function queryReason(p: Plan): string | undefined {
  if (p.query.ungrouped) return 'ungrouped queries are not answered from rollups';
  if (p.ctx.timezone !== 'UTC')
    return `the query's time zone is ${p.ctx.timezone}; rollups are bucketed in UTC`;
  const all = [...p.measures, ...p.dimensions, ...p.timeDimensions.map((t) => t.member), ...p.segments];
  const view = [...all, ...p.filterMembers.values()].find((m) => m.owner.kind === 'view');
  if (view) return `the query reads view ${view.owner.name}; rollups answer cube queries`;
  return undefined;
}

/** Smaller tables first: coarser buckets, then fewer columns. */
function bySize(a: RollupDef, b: RollupDef): number {
  return (
    granularityRank(b.granularity) - granularityRank(a.granularity) || a.columns.length - b.columns.length
  );
}

/**
 * Answers `query` from a built rollup when provably identical, else says why not. Policies run on
 * the real model first (member hiding and 403s exactly as `compileQuery`); the row filters they
 * resolve, and the token's filters, are then applied to the rollup as bound parameters.
 */
export function planFromRollup(
  model: SemanticModel,
  query: QueryInput | unknown,
  options: PlanFromRollupOptions,
):
  | { rollup: RollupDef; compiled: CompiledQuery; usesNow: boolean }
  | { rollup?: undefined; reason: string; usesNow: boolean } {
  const dialect = getDialect('duckdb');
  // One clock for the source plan, the eligibility checks and the rollup plan: the answer (or
  // the reason) depends on the instant when any of them read it.
  const clock = new Clock(options.now ?? new Date());
  const limits = {
    defaultLimit: options.defaultLimit ?? DEFAULT_LIMIT,
    maxLimit: options.maxLimit ?? DEFAULT_MAX_LIMIT,
  };
  const p = plan(model, query, dialect, options.security ?? {}, clock, limits);
  // Rendering the source query raises every error compileQuery would (bad values, refusals).
  const columns = buildStatements(p, new Renderer(p.ctx)).columns;
  const general = queryReason(p);
  if (general) return { reason: general, usesNow: clock.read };
  const candidates = rollupsOf(model)
    .filter((r) => r.cube === p.tree.root)
    .sort(bySize);
  if (candidates.length === 0)
    return { reason: `no rollup is defined on cube ${p.tree.root}`, usesNow: clock.read };
  const reasons: string[] = [];
  for (const rollup of candidates) {
    const verdict = eligibility(p, rollup, model.cubes);
    if ('reason' in verdict) {
      reasons.push(`rollup ${rollup.id}: ${verdict.reason}`);
      continue;
    }
    const from = options.locate(rollup);
    if (from === undefined) {
      reasons.push(`rollup ${rollup.id} could answer but is not built`);
      continue;
    }
    const synthetic = rollupModel(model.cubes, rollup, from);
    const compiled = compileOnRollup(synthetic, p, verdict.members, columns, clock, limits);
    return { rollup, compiled, usesNow: compiled.usesNow };
  }
  return { reason: reasons.join('; '), usesNow: clock.read };
}

/** Renames a query's members to the rollup cube's (`flights.count` → `__rollup.flights__count`). */
function translate(q: Query, members: Map<string, string>): QueryInput {
  const to = (name: string) => `${ROLLUP_CUBE}.${members.get(name)!}`;
  const filter = (f: Filter): Filter => {
    if ('and' in f) return { and: f.and.map(filter) };
    if ('or' in f) return { or: f.or.map(filter) };
    return { ...f, member: to(f.member) };
  };
  const orderKey = (key: string) => {
    if (members.has(key)) return to(key);
    // `cube.time.granularity`
    const base = key.slice(0, key.lastIndexOf('.'));
    return `${to(base)}${key.slice(base.length)}`;
  };
  const order: [string, 'asc' | 'desc'][] | undefined =
    q.order === undefined ? undefined : Array.isArray(q.order) ? q.order : Object.entries(q.order);
  return {
    measures: q.measures.map(to),
    dimensions: q.dimensions.map(to),
    timeDimensions: q.timeDimensions.map((td) => ({ ...td, dimension: to(td.dimension) })),
    segments: q.segments.map(to),
    filters: q.filters.map(filter),
    ...(order ? { order: order.map(([k, dir]) => [orderKey(k), dir] as [string, 'asc' | 'desc']) } : {}),
    ...(q.limit !== undefined ? { limit: q.limit } : {}),
    ...(q.offset !== undefined ? { offset: q.offset } : {}),
    ...(q.total !== undefined ? { total: q.total } : {}),
    timezone: 'UTC',
  };
}

function compileOnRollup(
  synthetic: SemanticModel,
  p: Plan,
  members: Map<string, string>,
  columns: OutputColumn[],
  clock: Clock,
  limits: { defaultLimit: number; maxLimit: number },
): CompiledQuery {
  const dialect = getDialect('duckdb');
  const to = (f: Filter): Filter => {
    if ('and' in f) return { and: f.and.map(to) };
    if ('or' in f) return { or: f.or.map(to) };
    return { ...f, member: `${ROLLUP_CUBE}.${members.get(f.member)!}` };
  };
  // The caller's token filters and resolved policy row filters, carried as one token filter so
  // the rollup query applies them as it applies any filter the caller cannot remove. (The
  // planner's schema takes and/or groups here; the public type only names member filters.)
  const filters = p.systemFilters.length ? [{ and: p.systemFilters.map(to) }] : [];
  const security: SecurityOptions = { filters: filters as unknown as SecurityOptions['filters'] };
  const sp = plan(synthetic, translate(p.query, members), dialect, security, clock, limits);
  const built = buildStatements(sp, new Renderer(sp.ctx));
  if (built.columns.length !== columns.length)
    throw new Error('rollup answer columns do not match the query');
  const alias = new Map(built.columns.map((c, i) => [c.alias, columns[i]!.alias]));
  const statement = renameOutputs(built.statement, alias);
  const printed = printStatement(statement, dialect);
  const out: CompiledQuery = {
    // The rows come from the rollup, which was built from this data source.
    dataSource: p.dataSource,
    sql: printed.sql,
    params: printed.params,
    columns,
    annotation: annotate(columns),
    plan: {
      root: p.tree.root,
      dataSource: p.dataSource,
      // The cubes the answer is derived from, as compileQuery reports them.
      cubes: [...p.tree.cubes].sort(),
      joins: [],
      multiplied: [],
      timezone: p.ctx.timezone,
      roles: p.ctx.roles,
    },
    usesNow: false,
  };
  if (p.query.total) out.total = totalQuery(built.unpaged, dialect);
  out.usesNow = clock.read;
  return out;
}

/** The outermost select's column aliases (and the ORDER BY that names them) as the source query's. */
function renameOutputs(s: Statement, alias: Map<string, string>): Statement {
  if (s.kind !== 'select') throw new Error('a rollup answer is a single select');
  const rename = (a: string) => alias.get(a) ?? a;
  const out: Select = {
    ...s,
    columns: s.columns.map((c) => ({ ...c, alias: rename(c.alias) })),
    ...(s.orderBy ? { orderBy: s.orderBy.map((o) => ({ ...o, alias: rename(o.alias) })) } : {}),
  };
  return out;
}
