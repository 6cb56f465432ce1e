import { InlayError } from '@inlay/core';
import type { CubeDef, MeasureDef } from '../graph/types.js';
import type { Plan } from '../plan/planner.js';
import { and, frag, ident, sql } from '../sql/fragment.js';
import type { Column, FromItem, Join, Select, Statement } from '../sql/tree.js';
import { fromTree, keyColumns, measureFilterOf, whereOf } from './clauses.js';
import { aliasFor, type OutputColumn, outputColumns } from './columns.js';
import { leafMeasures, Renderer } from './renderer.js';
import { buildRolling } from './rolling.js';
import { subQueryJoin } from './sub-query.js';

/** A plan as SQL trees, ready for a dialect's printer. */
export interface RenderedPlan {
  statement: Statement;
  /** The same rows without order, limit and offset, for `total`. */
  unpaged: Statement;
  columns: OutputColumn[];
}

/** Joins for the sub-query dimensions rendered so far (call after rendering everything else). */
function subQueryJoins(p: Plan, r: Renderer): Join[] {
  return [...r.subQueries.values()].map((s) => subQueryJoin(p, r, s.cube, s.dim));
}

function ordered(p: Plan, cols: OutputColumn[]) {
  return p.order.map((o) => ({ alias: cols.find((c) => c.keys.includes(o.name))!.alias, desc: o.desc }));
}

/** A rolling window needs time buckets; without a granularity it is an ordinary aggregate. */
function isRolling(p: Plan, m: MeasureDef): boolean {
  return !!m.rollingWindow && p.timeDimensions.some((t) => t.granularityName);
}

/** The render stage: a plan becomes its statement tree (and the unpaged one for `total`). */
export function renderPlan(p: Plan): RenderedPlan {
  // One renderer per compilation: sub-selects of a query share its memoised WHERE and FROM.
  const r = new Renderer(p.ctx);
  const cols = outputColumns(p);
  const model = p.ctx.model;
  const leaves = p.measures.flatMap((m) => leafMeasures(model, m.cube, m.def));
  for (const f of p.filterMembers.values())
    if (f.def.kind === 'measure') leafMeasures(model, f.cube, f.def, leaves);
  const split =
    leaves.some(([c, m]) => p.tree.multiplied.has(c.name) || isRolling(p, m)) && !p.query.ungrouped;
  const body = split ? splitSelect(p, r, cols, leaves) : flatSelect(p, r, cols);
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
function flatSelect(p: Plan, r: Renderer, cols: OutputColumn[]): Select {
  const measureCols = cols.filter((c) => c.kind === 'measure');
  const { from, joins } = fromTree(p, r);
  const keys = keyColumns(p, r, cols);
  const agg = (c: CubeDef, m: MeasureDef) => r.aggregate(c, m);
  const measureExpr = (c: CubeDef, m: MeasureDef) =>
    p.query.ungrouped ? r.measureRaw(m) : r.measure(c, m, agg);
  const measures = measureCols.map((c) => ({
    alias: c.alias,
    expr: measureExpr(c.member.cube, c.member.def),
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
      .map((c) => ({ alias: c.alias, expr: measureExpr(c.member.cube, c.member.def) })),
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
