import { InlayError, type ParamValue, type PreAggregationSpec } from '@inlay/core';
import { getDialect } from '../dialects/index.js';
import type { CubeDef, SemanticModel } from '../graph/types.js';
import { cubesReadBy } from '../plan/members.js';
import { Renderer } from '../render/renderer.js';
import type { Dialect } from '../sql/dialect.js';
import { sql } from '../sql/fragment.js';
import { printStatement } from '../sql/print.js';
import type { Select } from '../sql/tree.js';
import { hashedText, printBuild, rollupBuildQuery, rollupRangeQuery } from './build.js';
import type { Fail, Member } from './columns.js';
import { utcText } from './granularity.js';
import { privilegedContext, privilegedModel } from './privileged.js';
import type { OriginalSqlLink, RollupDef, RollupPartition } from './types.js';

/**
 * Cube's original_sql pre-aggregations. One is a copy of every column of its cube's FROM, built
 * from the source once per refresh, so that rollups of the same cube saying
 * `use_original_sql_pre_aggregations: true` are built from that copy (in DuckDB) instead of
 * running the cube's expensive SQL on the source again for every rollup and partition. A copy
 * never answers a query itself: its members' SQL would then run on DuckDB, whose semantics
 * (integer division, collations, functions) are not the source's.
 */

/** Stands for the copy's FROM while hashing: the copy's own hash covers what it holds. */
const COPY_PLACEHOLDER = '__original_sql__';

/** `SELECT * FROM <cube's FROM> AS "<cube>"`, restricted to [start, end) of one partition's time. */
export function originalSqlStatement(
  cubes: Map<string, CubeDef>,
  original: RollupDef,
  dialect: Dialect,
  partition?: RollupPartition,
): Select {
  const r = new Renderer(privilegedContext(cubes, dialect));
  const cube = r.cube(original.cube);
  const select: Select = {
    kind: 'select',
    star: true,
    columns: [],
    from: { kind: 'sql', sql: r.template(cube.from), alias: cube.name },
  };
  if (partition && partition.id !== 'all' && original.timeDimension) {
    const dim = cube.dimensions.get(original.timeDimension.slice(cube.name.length + 1))!;
    const x = r.dimension(cube, dim);
    select.where = sql`${x} >= ${r.timeParam(utcText(partition.start))} AND ${x} < ${r.timeParam(utcText(partition.end))}`;
  }
  return select;
}

/**
 * SQL for the source database returning every column of the cube's FROM, for one partition
 * (bounds bound as parameters) or all rows. The columns are whatever the cube's SQL returns.
 */
export function originalSqlBuildQuery(
  model: SemanticModel,
  original: RollupDef,
  dialect: string,
  partition?: RollupPartition,
): { sql: string; params: ParamValue[] } {
  if (original.type !== 'original_sql') {
    throw new InlayError('CONFIG', `pre-aggregation '${original.id}' is not original_sql.`, {
      hint: 'Build rollups with rollupBuildQuery.',
    });
  }
  const d = getDialect(dialect);
  return printStatement(originalSqlStatement(model.cubes, original, d, partition), d);
}

/** The cubes with the rollup's cube reading `from` (the server's copy) instead of its own SQL. */
function readingCopy(cubes: Map<string, CubeDef>, rollup: RollupDef, from: string): Map<string, CubeDef> {
  if (!rollup.originalSql) {
    throw new InlayError(
      'CONFIG',
      `rollup '${rollup.id}' is not built from an original_sql pre-aggregation.`,
      {
        hint: 'Only rollups with use_original_sql_pre_aggregations: true read a copy.',
      },
    );
  }
  const cube = cubes.get(rollup.cube)!;
  const out = new Map(cubes);
  out.set(cube.name, { ...cube, from: { source: from, parts: [from] } });
  return out;
}

/**
 * DuckDB SQL building one partition of a `use_original_sql_pre_aggregations` rollup from its
 * original_sql's copy. `from` is a trusted table expression the server makes (never request
 * text), e.g. `read_parquet([...])` of the copy's files; it replaces the cube's FROM.
 */
export function originalSqlRollupBuildQuery(
  model: SemanticModel,
  rollup: RollupDef,
  from: string,
  partition?: RollupPartition,
) {
  return rollupBuildQuery(onCopy(model, rollup, from), rollup, 'duckdb', partition);
}

/** The rollup's {min_time, max_time} over the copy (DuckDB), for its own partitions. */
export function originalSqlRollupRangeQuery(model: SemanticModel, rollup: RollupDef, from: string) {
  return rollupRangeQuery(onCopy(model, rollup, from), rollup, 'duckdb');
}

/** The model with the rollup's cube reading the copy `from`. */
function onCopy(model: SemanticModel, rollup: RollupDef, from: string): SemanticModel {
  return { ...model, cubes: readingCopy(model.cubes, rollup, from) };
}

/** What the build of a `use_original_sql_pre_aggregations` rollup is hashed from. */
export function copyStatementText(cubes: Map<string, CubeDef>, rollup: RollupDef): string {
  const printed = printBuild(readingCopy(cubes, rollup, COPY_PLACEHOLDER), rollup, getDialect('duckdb'));
  return `${hashedText(printed)}\0${rollup.originalSql!.hash}`;
}

/** What an original_sql's contents are hashed from: its FROM and its partition filter. */
export function originalStatementText(cubes: Map<string, CubeDef>, original: RollupDef): string {
  const d = getDialect('duckdb');
  const sample = { id: 'sample', start: new Date(0), end: new Date(1) };
  return hashedText(printStatement(originalSqlStatement(cubes, original, d, sample), d));
}

/** Members the copy holds: every one must be its cube's own, reading no other cube. */
function ownCubeOnly(cubes: Map<string, CubeDef>, cube: CubeDef, members: Member[], bad: Fail): boolean {
  const pm = privilegedModel(cubes);
  const own = pm.cubes.get(cube.name)!;
  for (const m of members) {
    const def = own.dimensions.get(m.name) ?? own.measures.get(m.name) ?? own.segments.get(m.name);
    const others =
      m.cube.name !== cube.name || !def
        ? [m.cube.name]
        : [...cubesReadBy(pm, own, def)].filter((c) => c !== cube.name);
    const subQuery = def?.kind === 'dimension' && def.subQuery;
    if (others.length === 0 && !subQuery) continue;
    bad(
      subQuery
        ? `'${m.full}' is a sub_query dimension, which reads other cubes; the original_sql copy holds only cube ${cube.name}'s rows.`
        : `'${m.full}' reads cube ${others.join(', ')}, whose rows the original_sql copy of cube ${cube.name} does not hold.`,
      'List only members of this cube that read no other cube, or drop use_original_sql_pre_aggregations.',
    );
    return false;
  }
  return true;
}

/**
 * Checks an original_sql spec: it copies rows, so it lists no members or granularity, and its
 * partitioning time dimension must be computable from its own cube's FROM.
 */
export function checkOriginalSql(
  cubes: Map<string, CubeDef>,
  cube: CubeDef,
  spec: PreAggregationSpec,
  time: Member | undefined,
  bad: Fail,
): void {
  const listed = (['measures', 'dimensions', 'segments'] as const).filter((k) => spec[k]?.length);
  if (listed.length || spec.granularity !== undefined) {
    bad(
      `is original_sql, which copies the cube's rows, so it takes no ${[...listed, ...(spec.granularity !== undefined ? ['granularity'] : [])].join(', ')}.`,
      'Put members in a rollup with use_original_sql_pre_aggregations: true; an original_sql takes only time_dimension and partition_granularity to split its copy.',
    );
  }
  if (spec.use_original_sql_pre_aggregations) {
    bad('is original_sql itself, so use_original_sql_pre_aggregations means nothing here.', 'Remove it.');
  }
  if (time) ownCubeOnly(cubes, cube, [time], bad);
}

/**
 * Links a rollup saying `use_original_sql_pre_aggregations: true` to the first original_sql of
 * its cube (as Cube does). Undefined (with a problem reported) when it cannot be built from it.
 */
export function linkOriginalSql(
  cubes: Map<string, CubeDef>,
  cube: CubeDef,
  spec: PreAggregationSpec,
  members: Member[],
  original: RollupDef | undefined,
  bad: Fail,
): OriginalSqlLink | undefined {
  const copies = cube.preAggregations.filter((p) => p.type === 'original_sql');
  const declared = copies[0];
  if (copies.length > 1) {
    bad(
      `says use_original_sql_pre_aggregations, but cube ${cube.name} has ${copies.length} original_sql pre-aggregations (${copies.map((c) => `'${c.name}'`).join(', ')}): which copy to build from is ambiguous.`,
      `Keep one original_sql pre-aggregation in cube ${cube.name}.`,
    );
    return undefined;
  }
  if (!declared) {
    bad(
      `says use_original_sql_pre_aggregations, but cube ${cube.name} has no original_sql pre-aggregation.`,
      `Add one to cube ${cube.name} (e.g. \`- name: base\` with \`type: original_sql\`), or remove use_original_sql_pre_aggregations.`,
    );
    return undefined;
  }
  let ok = ownCubeOnly(cubes, cube, members, bad);
  if (spec.build_range_start || spec.build_range_end) {
    bad(
      'has build_range_start/end, whose SQL is for the source database, but it is built from the original_sql copy.',
      `Put build_range_start/end on original_sql '${declared.name}' instead.`,
    );
    ok = false;
  }
  // An original_sql that failed its own checks was reported already.
  if (!ok || !original) return undefined;
  return {
    id: original.id,
    hash: original.hash,
    ...(original.partitionGranularity && original.timeDimension
      ? { partitionedBy: original.timeDimension }
      : {}),
    limited: original.buildRangeStartSql !== undefined || original.buildRangeEndSql !== undefined,
  };
}
