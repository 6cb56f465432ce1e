import { type Filter, InlayError, type ParamValue, type QueryInput } from '@inlay/core';
import { getDialect } from '../dialects/index.js';
import type { CubeDef, SemanticModel } from '../graph/types.js';
import { buildJoinTree } from '../plan/join-tree.js';
import { cubesReadBy } from '../plan/members.js';
import { fromJoinTree } from '../render/clauses.js';
import { Renderer } from '../render/renderer.js';
import type { Dialect } from '../sql/dialect.js';
import { type Fragment, frag, ident, raw, sql } from '../sql/fragment.js';
import { type PrintedSql, printStatement } from '../sql/print.js';
import type { Select, Statement } from '../sql/tree.js';
import { partitionsCovering, utcText } from './granularity.js';
import {
  avgCountName,
  avgSumName,
  privilegedContext,
  privilegedModel,
  privilegedStatement,
  segmentColumnName,
} from './privileged.js';
import type { RollupColumn, RollupDef, RollupPartition } from './types.js';

function split(member: string): [string, string] {
  const dot = member.indexOf('.');
  return [member.slice(0, dot), member.slice(dot + 1)];
}

/**
 * The internal query a rollup is built from: its columns as Cube members (an average as its sum
 * and count, a segment as a boolean dimension), bucketed in UTC, one partition's time range.
 * Returns, per column, the response key that holds it.
 */
function internalQuery(
  cubes: Map<string, CubeDef>,
  rollup: RollupDef,
  partition: RollupPartition | undefined,
): { query: QueryInput; keys: string[] } {
  const measures: string[] = [];
  const dimensions: string[] = [];
  const timeDimensions: NonNullable<QueryInput['timeDimensions']> = [];
  const keys = rollup.columns.map((c) => {
    const [cube, member] = split(c.member);
    switch (c.role) {
      case 'dimension': {
        const name = cubes.get(cube)?.segments.has(member)
          ? `${cube}.${segmentColumnName(member)}`
          : c.member;
        dimensions.push(name);
        return name;
      }
      case 'time':
        timeDimensions.push({ dimension: c.member, granularity: rollup.granularity! });
        return `${c.member}.${rollup.granularity}`;
      case 'measure':
        measures.push(c.member);
        return c.member;
      default: {
        // avg_sum / avg_count: the helper members of the privileged model.
        const name = `${cube}.${(c.role === 'avg_sum' ? avgSumName : avgCountName)(member)}`;
        measures.push(name);
        return name;
      }
    }
  });
  const filters: Filter[] = [];
  if (partition && partition.id !== 'all' && rollup.timeDimension) {
    // An end with milliseconds is inclusive to the millisecond, so this is exactly [start, end).
    const last = utcText(new Date(partition.end.getTime() - 1));
    filters.push({
      member: rollup.timeDimension,
      operator: 'inDateRange',
      values: [utcText(partition.start), last],
    });
  }
  return { query: { measures, dimensions, timeDimensions, filters }, keys };
}

/** The build statement: the rendered plan's SELECT, wrapped so columns come out named and typed as `rollup.columns`. */
export function buildStatement(
  cubes: Map<string, CubeDef>,
  rollup: RollupDef,
  dialect: Dialect,
  partition?: RollupPartition,
): Select {
  if (rollup.type !== 'rollup') {
    throw new InlayError('CONFIG', `pre-aggregation '${rollup.id}' is original_sql, not a rollup.`, {
      hint: 'Build original_sql pre-aggregations with originalSqlBuildQuery.',
    });
  }
  const { query, keys } = internalQuery(cubes, rollup, partition);
  const inner = privilegedStatement(cubes, query, dialect);
  const aliasOf = new Map(inner.columns.map((c) => [c.keys[0]!, c.alias]));
  const ref = (c: RollupColumn, i: number): Fragment => {
    const value = frag([ident('__b'), '.', ident(aliasOf.get(keys[i]!)!)]);
    // Sums of integers, NUMERIC averages' parts and so on all arrive as doubles, whatever the source.
    return c.duckdbType === 'DOUBLE' ? dialect.castToDouble(value) : value;
  };
  // CTEs (de-duplicated measures) move to the top: not every database takes WITH in a sub-select.
  const ctes = inner.statement.kind === 'select' ? inner.statement.ctes : undefined;
  const select: Statement = ctes ? { ...(inner.statement as Select), ctes: undefined } : inner.statement;
  return {
    kind: 'select',
    ...(ctes?.length ? { ctes } : {}),
    columns: rollup.columns.map((c, i) => ({ alias: c.name, expr: ref(c, i) })),
    from: { kind: 'select', select, alias: '__b' },
  };
}

/** The build statement printed: the SQL the source (or DuckDB, over a copy) runs for one partition. */
export function printBuild(
  cubes: Map<string, CubeDef>,
  rollup: RollupDef,
  dialect: Dialect,
  partition?: RollupPartition,
): PrintedSql {
  return printStatement(buildStatement(cubes, rollup, dialect, partition), dialect);
}

/** What a content hash covers of printed SQL: its text and its bound values. */
export function hashedText(printed: PrintedSql): string {
  return `${printed.sql}\0${JSON.stringify(printed.params)}`;
}

const multipliedCache = new WeakMap<RollupDef, ReadonlySet<string>>();

/** Cubes whose rows the rollup's own joins repeat: their measures are stored de-duplicated per group. */
export function rollupMultiplied(cubes: Map<string, CubeDef>, rollup: RollupDef): ReadonlySet<string> {
  let hit = multipliedCache.get(rollup);
  if (!hit) {
    const { query } = internalQuery(cubes, rollup, undefined);
    hit = privilegedStatement(cubes, query, getDialect('duckdb')).multiplied;
    multipliedCache.set(rollup, hit);
  }
  return hit;
}

/**
 * SQL for the source database returning exactly `rollup.columns` (by name, in order) for one
 * partition — privileged: no access policies, time buckets in UTC.
 */
export function rollupBuildQuery(
  model: SemanticModel,
  rollup: RollupDef,
  dialect: string,
  partition?: RollupPartition,
): { sql: string; params: ParamValue[]; columns: RollupColumn[] } {
  const printed = printBuild(model.cubes, rollup, getDialect(dialect), partition);
  return { sql: printed.sql, params: printed.params, columns: rollup.columns };
}

/**
 * SQL giving one row {min_time, max_time}: build_range_start/end when given, else the minimum
 * and maximum of the time dimension over its cube (privileged). NULLs without a time dimension.
 */
export function rollupRangeQuery(
  model: SemanticModel,
  rollup: RollupDef,
  dialect: string,
): { sql: string; params: ParamValue[] } {
  const d = getDialect(dialect);
  const column = (alias: string, expr: Fragment) => ({ alias, expr });
  if (!rollup.timeDimension) {
    return printStatement(
      { kind: 'select', columns: [column('min_time', raw('NULL')), column('max_time', raw('NULL'))] },
      d,
    );
  }
  const pm = privilegedModel(model.cubes);
  const [cubeName, dimName] = split(rollup.timeDimension);
  const cube = pm.cubes.get(cubeName)!;
  const def = cube.dimensions.get(dimName)!;
  const r = new Renderer(privilegedContext(model.cubes, d));
  const x = r.dimension(cube, def);
  // build_range SQL is the model author's text; it runs as written.
  const start = rollup.buildRangeStartSql ? sql`(${raw(rollup.buildRangeStartSql)})` : sql`min(${x})`;
  const end = rollup.buildRangeEndSql ? sql`(${raw(rollup.buildRangeEndSql)})` : sql`max(${x})`;
  const select: Select = { kind: 'select', columns: [column('min_time', start), column('max_time', end)] };
  if (!rollup.buildRangeStartSql || !rollup.buildRangeEndSql) {
    const tree = buildJoinTree(
      pm,
      cubeName,
      [...cubesReadBy(pm, cube, def)].map((c) => ({ cube: c })),
    );
    Object.assign(select, fromJoinTree(pm, tree, r));
  }
  return printStatement(select, d);
}

/** The partitions covering [min, max]; one partition 'all' without partition_granularity or time dimension. */
export function rollupPartitions(rollup: RollupDef, range: { min: Date; max: Date }): RollupPartition[] {
  if (!rollup.partitionGranularity || !rollup.timeDimension) {
    const valid = (d: Date) => Number.isFinite(d.getTime());
    const start = valid(range.min) ? range.min : new Date(0);
    const end = valid(range.max) ? new Date(range.max.getTime() + 1) : start;
    return [{ id: 'all', start, end }];
  }
  if (range.min.getTime() > range.max.getTime()) return [];
  return partitionsCovering(rollup.partitionGranularity, range.min, range.max);
}
