import type { QueryInput } from '@inlay/core';
import type { CubeDef, DimensionDef, MeasureDef, SemanticModel } from '../graph/types.js';
import type { CompileContext } from '../plan/context.js';
import { plan } from '../plan/planner.js';
import type { OutputColumn } from '../render/columns.js';
import { renderPlan } from '../render/statements.js';
import type { Dialect } from '../sql/dialect.js';
import type { Statement } from '../sql/tree.js';
import { Clock } from '../time/clock.js';

/**
 * Rollups are built once for every tenant, so their SQL is planned without access policies.
 * Rather than a flag on the planner that a request could one day reach, the privilege lives in
 * a derived model that only this folder constructs: the same cubes with their policies removed,
 * every member public, and the helper members a rollup needs (an average's sum and count, a
 * segment as a boolean column). `compileQuery` is only ever handed the caller's own model.
 */

export const avgSumName = (measure: string): string => `__avg_sum__${measure}`;
export const avgCountName = (measure: string): string => `__avg_count__${measure}`;
export const segmentColumnName = (segment: string): string => `__segment__${segment}`;

const cache = new WeakMap<Map<string, CubeDef>, SemanticModel>();

/**
 * A compilation over the privileged model: UTC, no roles, and an empty security context, so
 * model SQL that reads one throws (a rollup or copy is shared by every tenant).
 */
export function privilegedContext(cubes: Map<string, CubeDef>, dialect: Dialect): CompileContext {
  return {
    model: privilegedModel(cubes),
    dialect,
    securityContext: {},
    roles: [],
    timezone: 'UTC',
    // Internal queries use no relative date ranges, so the instant never matters.
    clock: new Clock(new Date(0)),
  };
}

export function privilegedModel(cubes: Map<string, CubeDef>): SemanticModel {
  const hit = cache.get(cubes);
  if (hit) return hit;
  const out = new Map<string, CubeDef>();
  for (const [name, cube] of cubes) {
    const { policies: _dropped, ...rest } = cube;
    const dimensions = new Map<string, DimensionDef>();
    for (const [k, d] of cube.dimensions) dimensions.set(k, { ...d, public: true });
    const measures = new Map<string, MeasureDef>();
    for (const [k, m] of cube.measures) {
      measures.set(k, { ...m, public: true });
      if (m.type !== 'avg') continue;
      // avg = sum / count of the non-NULL values, each with the measure's own filters.
      const { rollingWindow: _rw, ...base } = m;
      measures.set(avgSumName(k), { ...base, name: avgSumName(k), type: 'sum', public: true });
      measures.set(avgCountName(k), { ...base, name: avgCountName(k), type: 'count', public: true });
    }
    for (const [k, s] of cube.segments) {
      const col = segmentColumnName(k);
      dimensions.set(col, {
        kind: 'dimension',
        cube: name,
        name: col,
        type: 'boolean',
        // A row where the segment's SQL is NULL is outside the segment, as in a WHERE clause.
        sql: { source: s.sql.source, parts: ['CASE WHEN (', ...s.sql.parts, ') THEN TRUE ELSE FALSE END'] },
        primaryKey: false,
        subQuery: false,
        granularities: new Map(),
        title: s.title,
        shortTitle: s.shortTitle,
        public: true,
        loc: s.loc,
      });
    }
    out.set(name, { ...rest, public: true, dimensions, measures, segments: cube.segments });
  }
  const model: SemanticModel = { version: 'privileged', cubes: out, views: new Map() };
  cache.set(cubes, model);
  return model;
}

/**
 * Plans a query over the privileged model: no access policies, no row limit, no order. Returns
 * the statement, its output columns and the cubes whose rows its joins repeat;
 * `{SECURITY_CONTEXT.x}` in model SQL still throws, since no context is given.
 */
export function privilegedStatement(
  cubes: Map<string, CubeDef>,
  query: QueryInput,
  dialect: Dialect,
): { statement: Statement; columns: OutputColumn[]; multiplied: ReadonlySet<string> } {
  const model = privilegedModel(cubes);
  // `now` only matters for relative date ranges, which internal queries never use.
  const p = plan(model, { ...query, timezone: 'UTC' }, dialect, {}, new Clock(new Date(0)), {
    defaultLimit: 1,
    maxLimit: Number.MAX_SAFE_INTEGER,
  });
  const rendered = renderPlan(p);
  return { statement: rendered.unpaged, columns: rendered.columns, multiplied: p.tree.multiplied };
}
