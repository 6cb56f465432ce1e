import { InlayError } from '@inlay/core';
import type { CubeDef, DimensionDef } from '../graph/types.js';
import { buildJoinTree } from '../plan/join-tree.js';
import { cubesReadBy } from '../plan/members.js';
import type { Plan } from '../plan/planner.js';
import { ident, sql } from '../sql/fragment.js';
import type { Join } from '../sql/tree.js';
import { fromJoinTree } from './clauses.js';
import { Renderer } from './renderer.js';

/**
 * A `sub_query: true` dimension: the measures it names are aggregated per primary key of its
 * cube in a sub-select, which the main query LEFT JOINs by that key.
 */
export function subQueryJoin(p: Plan, outer: Renderer, cube: CubeDef, dim: DimensionDef): Join {
  const model = p.ctx.model;
  const needs = new Set<string>();
  for (const part of dim.sql?.parts ?? []) {
    if (typeof part === 'string' || !('cube' in part)) continue;
    needs.add(part.cube);
    if (part.ref === 'member') {
      const c = model.cubes.get(part.cube)!;
      const m = c.dimensions.get(part.member) ?? c.measures.get(part.member) ?? c.segments.get(part.member);
      if (m) for (const x of cubesReadBy(model, c, m)) needs.add(x);
    }
  }
  const tree = buildJoinTree(
    model,
    cube.name,
    [...needs].map((c) => ({ cube: c })),
  );
  const r = new Renderer(p.ctx);
  const { from, joins } = fromJoinTree(model, tree, r);
  const pkDim = cube.dimensions.get(cube.primaryKeys[0] ?? '');
  if (!pkDim) {
    throw new InlayError(
      'MODEL_INVALID',
      `'${dim.name}' is a sub_query dimension, so '${cube.name}' needs a primary_key dimension.`,
      {
        where: { ...dim.loc, cube: cube.name, member: dim.name },
      },
    );
  }
  const value = r.template(dim.sql!, (c, m) => r.measure(c, m, (c2, m2) => r.aggregate(c2, m2)));
  const alias = `${cube.name}__${dim.name}`;
  return {
    type: 'LEFT',
    item: {
      kind: 'select',
      alias,
      select: {
        kind: 'select',
        columns: [
          { alias: '__pk', expr: r.dimension(cube, pkDim) },
          { alias: 'value', expr: value },
        ],
        from,
        joins,
        groupBy: [1],
      },
    },
    on: sql`${ident(alias)}.${ident('__pk')} = ${outer.dimension(cube, pkDim)}`,
  };
}
