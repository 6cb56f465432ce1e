import { createHash } from 'node:crypto';
import { InlayError, type PreAggregationSpec, type StandardGranularity } from '@inlay/core';
import { getDialect } from '../dialects/index.js';
import type { CubeDef, SemanticModel } from '../graph/types.js';
import { ProblemList } from '../validate/errors.js';
import { didYouMean } from '../validate/suggest.js';
import { hashedText, printBuild } from './build.js';
import { columnsOf, type Fail, type Member } from './columns.js';
import { everyMs, isStandardGranularity, PARTITION_GRANULARITIES, rollsUp } from './granularity.js';
import {
  checkOriginalSql,
  copyStatementText,
  linkOriginalSql,
  originalStatementText,
} from './original-sql.js';
import type { PartitionGranularity, RollupDef } from './types.js';

const DEFAULT_REFRESH_MS = 3_600_000;
const cache = new WeakMap<Map<string, CubeDef>, RollupDef[]>();

/** Every rollup of the model, validated (bad members → ModelErrors with file:line), memoised per model. */
export function rollupsOf(model: SemanticModel): RollupDef[] {
  const hit = cache.get(model.cubes);
  if (hit) return hit;
  const problems = new ProblemList();
  const defs = defineRollups(model.cubes, problems);
  problems.throwIfAny();
  cache.set(model.cubes, defs);
  return defs;
}

/**
 * Model compile time: validates every `pre_aggregations` entry and keeps the result for
 * `rollupsOf`. A model without rollups pays one pass over its cubes.
 */
export function checkRollups(cubes: Map<string, CubeDef>, problems: ProblemList): void {
  const before = problems.items.length;
  const defs = [...cubes.values()].some((c) => c.preAggregations.length)
    ? defineRollups(cubes, problems)
    : [];
  if (problems.items.length === before) cache.set(cubes, defs);
}

function defineRollups(cubes: Map<string, CubeDef>, problems: ProblemList): RollupDef[] {
  const out: RollupDef[] = [];
  for (const cube of cubes.values()) {
    const seen = new Set<string>();
    const defs = new Map<PreAggregationSpec, RollupDef>();
    // original_sql first: rollups built from one need its hash, wherever it is declared.
    const specs = [...cube.preAggregations].sort(
      (a, b) => Number(b.type === 'original_sql') - Number(a.type === 'original_sql'),
    );
    for (const spec of specs) {
      const fail = (message: string, hint?: string) =>
        problems.add(
          new InlayError('MODEL_INVALID', `pre_aggregation '${spec.name}': ${message}`, {
            where: { ...cube.loc, cube: cube.name },
            ...(hint ? { hint } : {}),
          }),
        );
      if (seen.has(spec.name)) {
        fail('is defined twice in this cube.', 'Rename one of them.');
        continue;
      }
      seen.add(spec.name);
      const original = [...defs.values()].find((d) => d.type === 'original_sql');
      const def = defineOne(cubes, cube, spec, original, fail);
      if (def) defs.set(spec, def);
    }
    for (const spec of cube.preAggregations) {
      const def = defs.get(spec);
      if (def) out.push(def);
    }
  }
  return out;
}

type Kind = 'measure' | 'dimension' | 'segment';

/** `CUBE.x`, `{CUBE}.x`, `{CUBE.x}`, `cube.x` or a bare `x` (a member of the rollup's cube) → `cube.x`. */
function resolveRef(
  cubes: Map<string, CubeDef>,
  cube: CubeDef,
  text: string,
  kind: Kind,
  list: string,
  fail: Fail,
): Member | undefined {
  const parts = text.replace(/[{}\s]/g, '').split('.');
  if (parts.length > 2 || parts.some((p) => p === '')) {
    fail(`cannot read '${text}' in ${list}.`, 'Write CUBE.member, cube.member or member.');
    return undefined;
  }
  const cubeName = parts.length === 1 || parts[0] === 'CUBE' ? cube.name : parts[0]!;
  const name = parts[parts.length - 1]!;
  const owner = cubes.get(cubeName);
  if (!owner) {
    fail(`'${text}' in ${list} names unknown cube '${cubeName}'.`, didYouMean(cubeName, cubes.keys()));
    return undefined;
  }
  const full = `${cubeName}.${name}`;
  const maps = { measure: owner.measures, dimension: owner.dimensions, segment: owner.segments };
  if (maps[kind].has(name)) return { cube: owner, name, full };
  const actual = (['measure', 'dimension', 'segment'] as const).find((k) => maps[k].has(name));
  if (actual) fail(`'${full}' in ${list} is a ${actual}, not a ${kind}.`);
  else fail(`unknown ${kind} '${full}' in ${list}.`, didYouMean(name, maps[kind].keys()));
  return undefined;
}

/** Plain SQL the server runs as written; `{…}` references would need a cube alias that does not exist there. */
function plainSql(text: string | undefined, what: string, fail: Fail): string | undefined {
  if (text === undefined) return undefined;
  if (/\{[^{}]*\}/.test(text)) {
    fail(
      `${what} cannot use {…} references.`,
      'Write plain SQL for the source database, e.g. SELECT max(updated_at) FROM orders.',
    );
    return undefined;
  }
  return text;
}

/** time_dimension, granularity and partition_granularity, checked together. */
function readTime(
  cubes: Map<string, CubeDef>,
  cube: CubeDef,
  spec: PreAggregationSpec,
  bad: Fail,
): { time?: Member; granularity?: StandardGranularity; partitionGranularity?: PartitionGranularity } {
  let time: Member | undefined;
  if (spec.time_dimension) {
    time = resolveRef(cubes, cube, spec.time_dimension, 'dimension', 'time_dimension', bad);
    const t = time && time.cube.dimensions.get(time.name)!;
    if (t && t.type !== 'time') {
      bad(`time_dimension '${time!.full}' is a ${t.type} dimension; it must be a time dimension.`);
      time = undefined;
    }
  }
  let granularity: StandardGranularity | undefined;
  if (spec.granularity !== undefined) {
    if (!spec.time_dimension) bad('granularity needs a time_dimension.');
    else if (isStandardGranularity(spec.granularity)) granularity = spec.granularity;
    else if (time?.cube.dimensions.get(time.name)?.granularities.has(spec.granularity)) {
      bad(
        `custom granularity '${spec.granularity}' cannot be pre-aggregated.`,
        'Use a standard granularity that its buckets are made of, e.g. day or month.',
      );
    } else {
      bad(
        `unknown granularity '${spec.granularity}'.`,
        'Use second, minute, hour, day, week, month, quarter or year.',
      );
    }
  } else if (spec.time_dimension && spec.type !== 'original_sql') {
    bad('time_dimension needs a granularity.', 'Add e.g. `granularity: day`.');
  }
  let partitionGranularity: PartitionGranularity | undefined;
  if (spec.partition_granularity !== undefined) {
    const pg = spec.partition_granularity;
    if (!spec.time_dimension) bad('partition_granularity needs a time_dimension.');
    else if (!(PARTITION_GRANULARITIES as readonly string[]).includes(pg)) {
      bad(`unknown partition_granularity '${pg}'.`, `Use one of ${PARTITION_GRANULARITIES.join(', ')}.`);
    } else if (granularity && !rollsUp(granularity, pg as PartitionGranularity)) {
      bad(
        `partition_granularity '${pg}' would split ${granularity} buckets between partitions.`,
        'Use a partition_granularity made of whole buckets (e.g. month or year for month buckets).',
      );
    } else partitionGranularity = pg as PartitionGranularity;
  }
  return {
    ...(time ? { time } : {}),
    ...(granularity ? { granularity } : {}),
    ...(partitionGranularity ? { partitionGranularity } : {}),
  };
}

function defineOne(
  cubes: Map<string, CubeDef>,
  cube: CubeDef,
  spec: PreAggregationSpec,
  original: RollupDef | undefined,
  fail: Fail,
): RollupDef | undefined {
  if (spec.type === 'rollup_join' || spec.type === 'rollup_lambda') {
    fail(
      `type ${spec.type} is not supported.`,
      'Use type rollup; it may list members of cubes this cube joins.',
    );
    return undefined;
  }
  let ok = true;
  const bad: Fail = (m, h) => {
    ok = false;
    fail(m, h);
  };
  const resolveList = (list: string[] | undefined, kind: Kind, key: string) => {
    const out: Member[] = [];
    for (const text of list ?? []) {
      const r = resolveRef(cubes, cube, text, kind, key, bad);
      if (!r) continue;
      if (out.some((o) => o.full === r.full)) bad(`lists '${r.full}' twice in ${key}.`);
      else out.push(r);
    }
    return out;
  };
  const measures = resolveList(spec.measures, 'measure', 'measures');
  const dimensions = resolveList(spec.dimensions, 'dimension', 'dimensions');
  const segments = resolveList(spec.segments, 'segment', 'segments');
  for (const m of measures) {
    if (m.cube.measures.get(m.name)!.rollingWindow) {
      bad(
        `measure '${m.full}' has a rolling_window, which cannot be pre-aggregated.`,
        'Leave it out of the rollup.',
      );
    }
  }

  const { time, granularity, partitionGranularity } = readTime(cubes, cube, spec, bad);
  const listed = [spec.measures, spec.dimensions, spec.segments].some((l) => l?.length);
  if (spec.type === 'rollup' && !listed && !spec.time_dimension) {
    bad('lists no measures, dimensions, segments or time_dimension.');
  }

  const key = spec.refresh_key;
  let refreshEveryMs = DEFAULT_REFRESH_MS;
  const every = key?.every ?? cube.refreshKey?.every;
  if (every !== undefined) {
    try {
      refreshEveryMs = everyMs(every);
    } catch (e) {
      bad(
        `refresh_key.every: ${(e as Error).message}.`,
        'Write an interval such as "1 hour"; cron schedules are not supported.',
      );
    }
  }
  const refreshSql = plainSql(key ? key.sql : cube.refreshKey?.sql, 'refresh_key.sql', bad);
  const buildRangeStartSql = plainSql(spec.build_range_start?.sql, 'build_range_start.sql', bad);
  const buildRangeEndSql = plainSql(spec.build_range_end?.sql, 'build_range_end.sql', bad);
  const copy = spec.type === 'original_sql';
  if (copy) checkOriginalSql(cubes, cube, spec, time, bad);
  const members = [...measures, ...dimensions, ...segments, ...(time ? [time] : [])];
  const originalSql =
    !copy && spec.use_original_sql_pre_aggregations
      ? linkOriginalSql(cubes, cube, spec, members, original, bad)
      : undefined;
  if (!ok) return undefined;

  // A copy's columns are whatever the cube's SQL returns; the server reads them from the result.
  const { columns, indexes } = copy
    ? { columns: [], indexes: [] }
    : columnsOf(cube, spec, dimensions, segments, measures, time, granularity, bad);
  if (!ok) return undefined;

  const def: RollupDef = {
    id: `${cube.name}.${spec.name}`,
    cube: cube.name,
    name: spec.name,
    type: copy ? 'original_sql' : 'rollup',
    dataSource: cube.dataSource,
    measures: measures.map((m) => m.full),
    dimensions: dimensions.map((d) => d.full),
    segments: segments.map((s) => s.full),
    ...(time ? { timeDimension: time.full } : {}),
    ...(granularity ? { granularity } : {}),
    ...(partitionGranularity ? { partitionGranularity } : {}),
    refreshEveryMs,
    ...(refreshSql ? { refreshSql } : {}),
    ...(buildRangeStartSql ? { buildRangeStartSql } : {}),
    ...(buildRangeEndSql ? { buildRangeEndSql } : {}),
    indexes,
    columns,
    ...(originalSql ? { originalSql } : {}),
    hash: '',
  };
  const hash = contentHash(cubes, cube, def, fail);
  return hash === undefined ? undefined : { ...def, hash };
}

/**
 * Plans the build once (which checks join paths, primary keys for de-duplication and that no
 * SQL needs a security context) and hashes the SQL it prints: that text holds every member's
 * SQL, the cubes' FROM and the joins, so it changes exactly when the table's contents would.
 * A rollup built from an original_sql copy hashes the copy's hash in place of the cube's FROM.
 */
function contentHash(
  cubes: Map<string, CubeDef>,
  cube: CubeDef,
  def: RollupDef,
  fail: Fail,
): string | undefined {
  let text: string;
  try {
    if (def.type === 'original_sql') text = originalStatementText(cubes, def);
    else if (def.originalSql) text = copyStatementText(cubes, def);
    else text = hashedText(printBuild(cubes, def, getDialect('duckdb')));
  } catch (e) {
    if (!(e instanceof InlayError)) throw e;
    if (e.code === 'SECURITY_CONTEXT_MISSING') {
      fail(
        'reads SQL that uses the security context.',
        def.type === 'original_sql'
          ? `Its copy of cube ${cube.name} is shared by every tenant, so the cube's SQL cannot depend on one; filter tenants with an access_policy row filter instead, or remove this pre-aggregation.`
          : 'A rollup is shared by every tenant, so it cannot depend on one; filter tenants with an access_policy row filter on a dimension of the rollup instead.',
      );
    } else {
      fail(`cannot be built: ${e.message}`, e.hint);
    }
    return undefined;
  }
  const h = createHash('sha256').update(
    JSON.stringify([
      def.type,
      def.dataSource,
      def.columns,
      def.partitionGranularity ?? null,
      def.buildRangeStartSql ?? null,
      def.buildRangeEndSql ?? null,
      text,
    ]),
  );
  return h.digest('hex').slice(0, 16);
}
