import type { Filter, Query, QueryInput, SecurityOptions } from '@inlay/core';
import { type CompiledQuery, type CompileOptions, compilePlan, compileQuery, limitsOf } from '../compile.js';
import { getDialect } from '../dialects/index.js';
import type { SemanticModel } from '../graph/types.js';
import { type LimitOptions, type Plan, plan } from '../plan/planner.js';
import type { OutputColumn } from '../render/columns.js';
import { renderPlan } from '../render/statements.js';
import { Clock } from '../time/clock.js';
import { rollupsOf } from './define.js';
import { eligibility } from './eligible.js';
import { granularityRank } from './granularity.js';
import { ROLLUP_CUBE, rollupModel } from './rollup-model.js';
import type { RollupDef, RollupLocator } from './types.js';

export type CompileFromRollupOptions = Omit<CompileOptions, 'dialect'> & {
  locate: RollupLocator;
  /**
   * The dialect of the query's own database, as `compileQuery` takes it. Given, an answer no
   * rollup gives carries `source`: the query compiled for that database (from the plan already
   * made when it speaks DuckDB), so a caller that falls back to the database plans only once.
   */
  dialect?: CompileOptions['dialect'];
};

/** Why no rollup answers, and (when asked for) the query compiled for its own database. */
export interface NoRollup {
  rollup?: undefined;
  reason: string;
  usesNow: boolean;
  source?: CompiledQuery;
}

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
export function compileFromRollup(
  model: SemanticModel,
  query: QueryInput | unknown,
  options: CompileFromRollupOptions,
): { rollup: RollupDef; compiled: CompiledQuery; usesNow: boolean } | NoRollup {
  const dialect = getDialect('duckdb');
  // One clock for the source plan, the eligibility checks and the rollup plan: the answer (or
  // the reason) depends on the instant when any of them read it.
  const now = options.now ?? new Date();
  const clock = new Clock(now);
  const limits = limitsOf(options);
  const p = plan(model, query, dialect, options.security ?? {}, clock, limits);
  // Rendering the source query raises every error compileQuery would (bad values, refusals).
  const rendered = renderPlan(p);
  const { columns } = rendered;
  const none = (reason: string): NoRollup => {
    if (options.dialect === undefined) return { reason, usesNow: clock.read };
    const chosen = options.dialect;
    const own = typeof chosen === 'function' ? getDialect(chosen(p.dataSource)) : getDialect(chosen);
    const source =
      own === dialect
        ? compilePlan(p, clock, undefined, rendered)
        : compileQuery(model, query, { ...options, dialect: own, now });
    return { reason, usesNow: clock.read || source.usesNow, source };
  };
  const general = queryReason(p);
  if (general) return none(general);
  const candidates = rollupsOf(model)
    .filter((r) => r.cube === p.tree.root)
    .sort(bySize);
  if (candidates.length === 0) return none(`no rollup is defined on cube ${p.tree.root}`);
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
  return none(reasons.join('; '));
}

/** A filter tree on the rollup cube's members. */
function translateFilter(f: Filter, members: Map<string, string>): Filter {
  if ('and' in f) return { and: f.and.map((x) => translateFilter(x, members)) };
  if ('or' in f) return { or: f.or.map((x) => translateFilter(x, members)) };
  return { ...f, member: `${ROLLUP_CUBE}.${members.get(f.member)!}` };
}

/** Renames a query's members to the rollup cube's (`flights.count` → `__rollup.flights__count`). */
function translate(q: Query, members: Map<string, string>): QueryInput {
  const to = (name: string) => `${ROLLUP_CUBE}.${members.get(name)!}`;
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
    filters: q.filters.map((f) => translateFilter(f, members)),
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
  limits: LimitOptions,
): CompiledQuery {
  // The caller's token filters and resolved policy row filters, carried as one token filter so
  // the rollup query applies them as it applies any filter the caller cannot remove. (The
  // planner's schema takes and/or groups here; the public type only names member filters.)
  const filters = p.systemFilters.length
    ? [{ and: p.systemFilters.map((f) => translateFilter(f, members)) }]
    : [];
  const security: SecurityOptions = { filters: filters as unknown as SecurityOptions['filters'] };
  const sp = plan(synthetic, translate(p.query, members), getDialect('duckdb'), security, clock, limits);
  // The rows come from the rollup, built from p's data source: the answer describes p.
  return compilePlan(sp, clock, { plan: p, columns });
}
