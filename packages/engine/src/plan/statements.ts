import { type Filter, type FilterOperator, InlayError } from '@inlay/core';
import type { CubeDef, MeasureDef, SemanticModel } from '../graph/types.js';
import { and, type Fragment, frag, ident, sql } from '../sql/fragment.js';
import type { Column, FromItem, Join, Select, Statement } from '../sql/tree.js';
import { resolveDateRange } from '../time/date-range.js';
import { aliasFor, dimensionValue, type OutputColumn, outputColumns, timeBucket } from './columns.js';
import { filterTreeSql, memberFilterSql } from './filters.js';
import type { JoinTree } from './join-tree.js';
import type { Plan } from './planner.js';
import { leafMeasures, type Renderer } from './render.js';
import { buildRolling } from './rolling.js';
import { subQueryJoin } from './sub-query.js';

export interface BuiltStatements {
  statement: Statement;
  /** The same rows without order, limit and offset, for `total`. */
  unpaged: Statement;
  columns: OutputColumn[];
}

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

function fromTree(p: Plan, r: Renderer): { from: FromItem; joins: Join[] } {
  return r.once('from', () => fromJoinTree(p.ctx.model, p.tree, r));
}

/** Joins for the sub-query dimensions rendered so far (call after rendering everything else). */
function subQueryJoins(p: Plan, r: Renderer): Join[] {
  return [...r.subQueries.values()].map((s) => subQueryJoin(p, r, s.cube, s.dim));
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
      p.ctx.now,
      `timeDimensions[${td.index}].dateRange`,
    );
    const x = r.dimension(td.member.cube, td.member.def);
    parts.push(sql`${x} >= ${r.timeParam(range.start)}`, sql`${x} < ${r.timeParam(range.end)}`);
  }
  return and(parts);
}

/** Measure filters, rendered with `measureExpr` for each measure they name. */
function measureFilterOf(
  p: Plan,
  r: Renderer,
  measureExpr: (cube: CubeDef, m: MeasureDef) => Fragment,
): Fragment | undefined {
  const parts: Fragment[] = [];
  const leaf: FilterLeaf = (member, op, values, path) => {
    const m = p.filterMembers.get(member)! as { cube: CubeDef; def: MeasureDef };
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
function keyColumns(p: Plan, r: Renderer, cols: OutputColumn[]): Column[] {
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
      expr:
        c.kind === 'dimension'
          ? dimensionValue(r, c.member as never)
          : timeBucket(r, byName.get(c.keys[0]!)!),
    }));
}

function ordered(p: Plan, cols: OutputColumn[]) {
  return p.order.map((o) => ({ alias: cols.find((c) => c.keys.includes(o.name))!.alias, desc: o.desc }));
}

/** A rolling window needs time buckets; without a granularity it is an ordinary aggregate. */
function isRolling(p: Plan, m: MeasureDef): boolean {
  return !!m.rollingWindow && p.timeDimensions.some((t) => t.granularityName);
}

export function buildStatements(p: Plan, r: Renderer): BuiltStatements {
  const cols = outputColumns(p);
  const measureCols = cols.filter((c) => c.kind === 'measure');
  const model = p.ctx.model;
  const leaves = p.measures.flatMap((m) => leafMeasures(model, m.cube, m.def as MeasureDef));
  for (const f of p.filterMembers.values())
    if (f.def.kind === 'measure') leafMeasures(model, f.cube, f.def, leaves);
  const split =
    leaves.some(([c, m]) => p.tree.multiplied.has(c.name) || isRolling(p, m)) && !p.query.ungrouped;
  const body = split ? splitSelect(p, r, cols, leaves) : flatSelect(p, r, cols, measureCols);
  const unpaged: Select = { ...body };
  const statement: Select = {
    ...body,
    orderBy: ordered(p, cols),
    limit: p.limit,
    ...(p.offset ? { offset: p.offset } : {}),
  };
  return { statement, unpaged, columns: cols };
}

/** One SELECT over the join tree: nothing is multiplied, so aggregates are plain. */
function flatSelect(p: Plan, r: Renderer, cols: OutputColumn[], measureCols: OutputColumn[]): Select {
  const { from, joins } = fromTree(p, r);
  const keys = keyColumns(p, r, cols);
  const agg = (c: CubeDef, m: MeasureDef) => r.aggregate(c, m);
  const measureExpr = (c: CubeDef, m: MeasureDef) =>
    p.query.ungrouped ? r.measureRaw(m) : r.measure(c, m, agg);
  const measures = measureCols.map((c) => ({
    alias: c.alias,
    expr: measureExpr(c.member.cube, c.member.def as MeasureDef),
  }));
  const where = whereOf(p, r);
  const having = measureFilterOf(p, r, measureExpr);
  const grouped = !p.query.ungrouped && keys.length > 0;
  const select: Select = {
    kind: 'select',
    columns: [...keys, ...measures],
    from,
    joins: [...joins, ...subQueryJoins(p, r)],
    ...(where ? { where } : {}),
    ...(grouped ? { groupBy: keys.map((_, i) => i + 1) } : {}),
  };
  if (!having) return select;
  if (p.ctx.dialect.supportsHaving) return { ...select, having };
  // No HAVING (QuestDB): filter the grouped rows in a wrapping select.
  const inner: Select = { ...select, columns: [...select.columns] };
  const wrapped = measureFilterOf(p, r, (c, m) => {
    const alias = `__f${inner.columns.length}`;
    inner.columns.push({ alias, expr: measureExpr(c, m) });
    return frag([ident('__h'), '.', ident(alias)]);
  })!;
  return {
    kind: 'select',
    columns: cols.map((c) => ({ alias: c.alias, expr: frag([ident('__h'), '.', ident(c.alias)]) })),
    from: { kind: 'select', select: inner, alias: '__h' },
    where: wrapped,
  };
}

/**
 * Measures a join would multiply (and rolling windows) are aggregated in their own groups:
 * per primary key first, then by the query's keys. The groups meet on those keys.
 */
function splitSelect(p: Plan, r: Renderer, cols: OutputColumn[], leaves: [CubeDef, MeasureDef][]): Select {
  const keyCols = cols.filter((c) => c.kind !== 'measure');
  const used = new Set(cols.map((c) => c.alias));
  const leafAlias = new Map<MeasureDef, { group: string; alias: string; count: boolean }>();
  const groups: { name: string; statement: Statement }[] = [];
  const plain = leaves.filter(([c, m]) => !p.tree.multiplied.has(c.name) && !isRolling(p, m));
  const addGroup = (
    name: string,
    members: [CubeDef, MeasureDef][],
    make: (aliases: string[]) => Statement,
    countsCoalesce: boolean,
  ) => {
    const aliases = members.map(([, m]) => {
      const alias = aliasFor(`${m.cube}__${m.name}`, used);
      leafAlias.set(m, {
        group: name,
        alias,
        count: countsCoalesce && (m.type === 'count' || m.type.startsWith('count_distinct')),
      });
      return alias;
    });
    groups.push({ name, statement: make(aliases) });
  };
  if (plain.length || keyCols.length) {
    addGroup(
      '__main',
      plain,
      (aliases) => {
        const { from, joins } = fromTree(p, r);
        const keys = keyColumns(p, r, cols);
        const where = whereOf(p, r);
        return {
          kind: 'select',
          columns: [...keys, ...plain.map(([c, m], i) => ({ alias: aliases[i]!, expr: r.aggregate(c, m) }))],
          from,
          joins: [...joins, ...subQueryJoins(p, r)],
          ...(where ? { where } : {}),
          ...(keys.length ? { groupBy: keys.map((_, i) => i + 1) } : {}),
        };
      },
      false,
    );
  }
  const multipliedCubes = [
    ...new Set(leaves.filter(([c, m]) => p.tree.multiplied.has(c.name) && !isRolling(p, m)).map(([c]) => c)),
  ];
  for (const cube of multipliedCubes) {
    const members = leaves.filter(([c, m]) => c === cube && !isRolling(p, m));
    addGroup(`__${cube.name}`, members, (aliases) => keyAggregate(p, r, cols, cube, members, aliases), true);
  }
  for (const [c, m] of leaves.filter(([, m]) => isRolling(p, m))) {
    addGroup(
      `__rolling_${m.cube}_${m.name}`,
      [[c, m]],
      (aliases) => buildRolling(p, r, cols, c, m, aliases[0]!),
      false,
    );
  }

  const g = (name: string, alias: string) => frag([ident(name), '.', ident(alias)]);
  const leafRef = (_c: CubeDef, m: MeasureDef) => {
    const l = leafAlias.get(m)!;
    return l.count ? sql`COALESCE(${g(l.group, l.alias)}, 0)` : g(l.group, l.alias);
  };
  const measureExpr = (c: CubeDef, m: MeasureDef) => r.measure(c, m, leafRef);
  const columns: Column[] = [
    ...keyCols.map((c) => ({ alias: c.alias, expr: g('__keys', c.alias) })),
    ...cols
      .filter((c) => c.kind === 'measure')
      .map((c) => ({ alias: c.alias, expr: measureExpr(c.member.cube, c.member.def as MeasureDef) })),
  ];
  const where = measureFilterOf(p, r, measureExpr);
  let from: FromItem;
  let joins: Join[];
  if (keyCols.length) {
    const keysOf = (name: string): Select => ({
      kind: 'select',
      columns: keyCols.map((c) => ({ alias: c.alias, expr: g(name, c.alias) })),
      from: { kind: 'sql', sql: frag([ident(name)]), alias: name },
    });
    from = {
      kind: 'select',
      select: { kind: 'union', all: false, selects: groups.map((x) => keysOf(x.name)) },
      alias: '__keys',
    };
    joins = groups.map((x) => ({
      type: 'LEFT',
      item: { kind: 'sql', sql: frag([ident(x.name)]), alias: x.name },
      on: and(keyCols.map((c) => p.ctx.dialect.nullSafeEquals(g('__keys', c.alias), g(x.name, c.alias))))!,
    }));
  } else {
    from = { kind: 'sql', sql: frag([ident(groups[0]!.name)]), alias: groups[0]!.name };
    joins = groups
      .slice(1)
      .map((x) => ({ type: 'CROSS', item: { kind: 'sql', sql: frag([ident(x.name)]), alias: x.name } }));
  }
  return { kind: 'select', ctes: groups, columns, from, joins, ...(where ? { where } : {}) };
}

/** Distinct (keys, primary key) pairs over the whole tree, then the cube's own rows aggregated once each. */
function keyAggregate(
  p: Plan,
  r: Renderer,
  cols: OutputColumn[],
  cube: CubeDef,
  members: [CubeDef, MeasureDef][],
  aliases: string[],
): Select {
  if (!cube.primaryKeys.length) {
    throw new InlayError(
      'MODEL_INVALID',
      `'${cube.name}' needs a primary_key dimension: a join repeats its rows, so its measures are counted once per key.`,
      {
        where: { ...cube.loc, cube: cube.name },
      },
    );
  }
  for (const [, m] of members) {
    for (const t of [m.sql, ...m.filters]) {
      if (t?.parts.some((x) => typeof x !== 'string' && 'cube' in x && x.cube !== cube.name)) {
        throw new InlayError(
          'QUERY_INVALID',
          `'${cube.name}.${m.name}' reads other cubes, so it cannot be de-duplicated under this join.`,
          {
            hint: 'Move the other cube\u2019s part into a dimension of this cube, or query without the fanning join.',
          },
        );
      }
    }
  }
  const { from, joins } = fromTree(p, r);
  const keys = keyColumns(p, r, cols);
  const where = whereOf(p, r);
  const pkCols = cube.primaryKeys.map((k, i) => ({
    alias: `__pk${i}`,
    expr: r.dimension(cube, cube.dimensions.get(k)!),
  }));
  const distinctKeys: Select = {
    kind: 'select',
    distinct: true,
    columns: [...keys, ...pkCols],
    from,
    joins: [...joins, ...subQueryJoins(p, r)],
    ...(where ? { where } : {}),
  };
  const k = (alias: string) => frag([ident('__k'), '.', ident(alias)]);
  return {
    kind: 'select',
    columns: [
      ...keys.map((c) => ({ alias: c.alias, expr: k(c.alias) })),
      ...members.map(([c, m], i) => ({ alias: aliases[i]!, expr: r.aggregate(c, m) })),
    ],
    from: { kind: 'select', select: distinctKeys, alias: '__k' },
    joins: [
      {
        type: 'INNER',
        item: { kind: 'sql', sql: r.template(cube.from), alias: cube.name },
        on: and(
          pkCols.map(
            (c, i) => sql`${k(c.alias)} = ${r.dimension(cube, cube.dimensions.get(cube.primaryKeys[i]!)!)}`,
          ),
        )!,
      },
    ],
    ...(keys.length ? { groupBy: keys.map((_, i) => i + 1) } : {}),
  };
}
