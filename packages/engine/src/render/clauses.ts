import { type Filter, type FilterOperator, InlayError } from '@inlay/core';
import type { CubeDef, MeasureDef, SemanticModel } from '../graph/types.js';
import type { JoinTree } from '../plan/join-tree.js';
import type { Plan } from '../plan/planner.js';
import { and, type Fragment, sql } from '../sql/fragment.js';
import type { Column, FromItem, Join } from '../sql/tree.js';
import { resolveDateRange } from '../time/date-range.js';
import { dimensionValue, type OutputColumn, timeBucket } from './columns.js';
import { filterTreeSql, memberFilterSql } from './filters.js';
import type { Renderer } from './renderer.js';

/**
 * The clauses every statement of a query shares: FROM and JOINs of the join tree, WHERE (query,
 * token and policy filters, segments, date ranges), measure filters and the grouping keys.
 * Each is rendered once per compilation and reused by every sub-select.
 */

/** FROM and JOINs of a join tree: LEFT JOINs from the root, parents before children. */
export function fromJoinTree(
  model: SemanticModel,
  tree: JoinTree,
  r: Renderer,
): { from: FromItem; joins: Join[] } {
  const source = (c: CubeDef): FromItem => ({ kind: 'sql', sql: r.template(c.from), alias: c.name });
  const joins: Join[] = tree.edges.map((e) => ({
    type: 'LEFT',
    item: source(model.cubes.get(e.child)!),
    on: r.template(e.join.on),
  }));
  return { from: source(model.cubes.get(tree.root)!), joins };
}

export function fromTree(p: Plan, r: Renderer): { from: FromItem; joins: Join[] } {
  return r.once('from', () => fromJoinTree(p.ctx.model, p.tree, r));
}

function isMeasureFilter(p: Plan, f: Filter): 'measure' | 'dimension' | 'mixed' {
  if ('member' in f) return p.filterMembers.get(f.member)!.def.kind === 'measure' ? 'measure' : 'dimension';
  const kinds = new Set(('and' in f ? f.and : f.or).map((x) => isMeasureFilter(p, x)));
  return kinds.size === 1 ? [...kinds][0]! : 'mixed';
}

type FilterLeaf = Parameters<typeof filterTreeSql>[2];

/** The query's filters, then those the caller cannot remove (token filters, access-policy row filters). */
function filtersOf(p: Plan): { filter: Filter; path: string; system: boolean }[] {
  return [
    ...p.filters.map((filter, i) => ({ filter, path: `filters[${i}]`, system: false })),
    ...p.systemFilters.map((filter, i) => ({ filter, path: `security filters[${i}]`, system: true })),
  ];
}

/**
 * A security filter whose value does not fit its member is refused without repeating the value:
 * error messages must not carry what a token or security context holds.
 */
function guarded(leaf: FilterLeaf): FilterLeaf {
  return (member, op, values, path) => {
    try {
      return leaf(member, op, values, path);
    } catch (e) {
      if (!(e instanceof InlayError) || e.code !== 'QUERY_INVALID') throw e;
      throw new InlayError(
        'SECURITY_CONTEXT_MISSING',
        `a security filter on '${member}' (${op}) cannot be applied to its values.`,
        {
          hint: 'Check the types of the security-context values and token filters this rule uses.',
        },
      );
    }
  };
}

/** WHERE: dimension filters (query, token, policy), segments and date ranges, all on raw rows. */
export function whereOf(p: Plan, r: Renderer, opts: { skipDateRangeOf?: string } = {}): Fragment | undefined {
  return r.once(`where:${opts.skipDateRangeOf ?? ''}`, () => buildWhere(p, r, opts));
}

function buildWhere(p: Plan, r: Renderer, opts: { skipDateRangeOf?: string }): Fragment | undefined {
  const parts: Fragment[] = [];
  const dimLeaf = (
    member: string,
    op: FilterOperator,
    values: (string | number | boolean)[] | undefined,
    path: string,
  ) => {
    const m = p.filterMembers.get(member)!;
    if (m.def.kind !== 'dimension')
      throw new InlayError('QUERY_INVALID', `'${member}' is a measure.`, { where: { path } });
    return memberFilterSql(
      r,
      { expr: r.dimension(m.cube, m.def), type: m.def.type, name: member },
      op,
      values,
      path,
    );
  };
  for (const { filter, path, system } of filtersOf(p)) {
    const kind = isMeasureFilter(p, filter);
    if (kind === 'mixed') {
      throw new InlayError('QUERY_INVALID', 'one and/or group mixes measure and dimension filters.', {
        where: { path },
        hint: 'Put measure filters and dimension filters in separate groups.',
      });
    }
    if (kind === 'dimension') parts.push(filterTreeSql(filter, path, system ? guarded(dimLeaf) : dimLeaf));
  }
  for (const s of p.segments) parts.push(r.template(s.def.sql));
  for (const td of p.timeDimensions) {
    if (!td.dateRange || td.member.name === opts.skipDateRangeOf) continue;
    const range = resolveDateRange(
      td.dateRange,
      p.ctx.timezone,
      p.ctx.clock.now,
      `timeDimensions[${td.index}].dateRange`,
    );
    const x = r.dimension(td.member.cube, td.member.def);
    parts.push(sql`${x} >= ${r.timeParam(range.start)}`, sql`${x} < ${r.timeParam(range.end)}`);
  }
  return and(parts);
}

/** Measure filters, rendered with `measureExpr` for each measure they name. */
export function measureFilterOf(
  p: Plan,
  r: Renderer,
  measureExpr: (cube: CubeDef, m: MeasureDef) => Fragment,
): Fragment | undefined {
  const parts: Fragment[] = [];
  const leaf: FilterLeaf = (member, op, values, path) => {
    const m = p.filterMembers.get(member)!;
    if (m.def.kind !== 'measure')
      throw new InlayError('QUERY_INVALID', `'${member}' is not a measure.`, { where: { path } });
    return memberFilterSql(
      r,
      { expr: measureExpr(m.cube, m.def), type: 'number', name: member },
      op,
      values,
      path,
    );
  };
  for (const { filter, path, system } of filtersOf(p)) {
    if (isMeasureFilter(p, filter) === 'measure')
      parts.push(filterTreeSql(filter, path, system ? guarded(leaf) : leaf));
  }
  return and(parts);
}

/** The grouping columns (dimensions, then time buckets); the same in every sub-select of a query. */
export function keyColumns(p: Plan, r: Renderer, cols: OutputColumn[]): Column[] {
  return r.once('keys', () => buildKeyColumns(p, r, cols));
}

function buildKeyColumns(p: Plan, r: Renderer, cols: OutputColumn[]): Column[] {
  const byName = new Map(
    p.timeDimensions
      .filter((t) => t.granularityName)
      .map((t) => [`${t.member.name}.${t.granularityName}`, t]),
  );
  return cols
    .filter((c) => c.kind !== 'measure')
    .map((c) => ({
      alias: c.alias,
      expr: c.kind === 'dimension' ? dimensionValue(r, c.member) : timeBucket(r, byName.get(c.keys[0]!)!),
    }));
}
