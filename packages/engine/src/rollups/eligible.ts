import type { Filter, FilterOperator, MemberFilter } from '@inlay/core';
import type { CubeDef, DimensionDef, MeasureDef } from '../graph/types.js';
import type { Plan } from '../plan/planner.js';
import type { ResolvedMember } from '../plan/resolve.js';
import { resolveDateRange, resolveInstant } from '../time/date-range.js';
import { rollupMultiplied } from './build.js';
import { isBucketStart, rollsUp } from './granularity.js';
import type { RollupColumn, RollupDef } from './types.js';

/**
 * Whether a planned query can be answered from one rollup with provably the same rows, and if so
 * which rollup column stands for each member it names. Every rule errs on the side of "no": a
 * refused rollup costs a database query, a wrong answer costs trust.
 */

const ADDITIVE = new Set<MeasureDef['type']>(['count', 'sum', 'min', 'max', 'avg']);
/** Operators whose SQL keeps rows where the member is NULL (`… OR x IS NULL`, `IS NULL`). */
const KEEPS_NULL = new Set<FilterOperator>([
  'notSet',
  'notEquals',
  'notContains',
  'notStartsWith',
  'notEndsWith',
]);
const RANGE = new Set<FilterOperator>(['gt', 'gte', 'lt', 'lte']);
/** Comparisons that mean the same on a bucket start as on the raw time when the bound starts a bucket. */
const BUCKET_SAFE_INSTANT = new Set<FilterOperator>(['beforeDate', 'lt', 'afterOrOnDate', 'gte']);

export type Eligibility = { members: Map<string, string> } | { reason: string };

function leaves(f: Filter, out: MemberFilter[] = []): MemberFilter[] {
  if ('and' in f) for (const x of f.and) leaves(x, out);
  else if ('or' in f) for (const x of f.or) leaves(x, out);
  else out.push(f);
  return out;
}

/** Leaves ANDed at the top level: only these restrict every row of the answer. */
function topLeaves(f: Filter, out: MemberFilter[] = []): MemberFilter[] {
  if ('and' in f) for (const x of f.and) topLeaves(x, out);
  else if (!('or' in f)) out.push(f);
  return out;
}

export function eligibility(p: Plan, rollup: RollupDef, cubes: Map<string, CubeDef>): Eligibility {
  if (rollup.type !== 'rollup') return { reason: 'it is an original_sql pre-aggregation' };
  if (rollup.buildRangeStartSql || rollup.buildRangeEndSql) {
    return { reason: 'build_range_start/end limit its rows, so it may not hold every row the query reads' };
  }
  if (rollup.originalSql?.limited) {
    return {
      reason: `it is built from ${rollup.originalSql.id}, whose build_range_start/end limit its rows, so it may not hold every row the query reads`,
    };
  }
  if (p.tree.root !== rollup.cube) {
    return { reason: `the query starts from cube ${p.tree.root}, the rollup from ${rollup.cube}` };
  }
  const members = new Map<string, string>();
  const multiplied = rollupMultiplied(cubes, rollup);
  const bucket = rollup.columns.find((c) => c.role === 'time');
  const rg = rollup.granularity;
  const raw = (name: string): RollupColumn | undefined =>
    rollup.columns.find((c) => c.member === name && c.role === 'dimension');

  const measure = (m: ResolvedMember<MeasureDef>): string | undefined => {
    if (m.def.rollingWindow) return `measure ${m.name} has a rolling_window`;
    if (!ADDITIVE.has(m.def.type)) return `measure ${m.name} (${m.def.type}) is not additive`;
    const col = rollup.columns.find(
      (c) => c.member === m.name && (c.role === 'measure' || c.role === 'avg_sum'),
    );
    if (!col) return `measure ${m.name} is not in the rollup`;
    if (multiplied.has(m.cube.name)) {
      return `measure ${m.name} is stored de-duplicated per rollup row (a join repeats ${m.cube.name} rows), so it cannot be re-aggregated`;
    }
    members.set(m.name, col.name);
    return undefined;
  };
  const dimension = (m: ResolvedMember<DimensionDef>, what: string): string | undefined => {
    if (m.def.subQuery) return `${what} ${m.name} is a sub_query dimension`;
    const col = raw(m.name);
    if (!col) return `${what} ${m.name} is not in the rollup`;
    members.set(m.name, col.name);
    return undefined;
  };
  const aligned = (utc: string) => rg !== undefined && isBucketStart(utc, rg);

  for (const m of p.measures) {
    const why = measure(m);
    if (why) return { reason: why };
  }
  for (const d of p.dimensions) {
    const why = dimension(d, 'dimension');
    if (why) return { reason: why };
  }
  for (const td of p.timeDimensions) {
    const name = td.member.name;
    if (raw(name)) {
      // The exact value is a column: every granularity and range works as on the source.
      const why = dimension(td.member, 'time dimension');
      if (why) return { reason: why };
      continue;
    }
    if (name !== rollup.timeDimension || !bucket || !rg)
      return { reason: `time dimension ${name} is not in the rollup` };
    members.set(name, bucket.name);
    const g = td.granularity;
    if (g && 'custom' in g)
      return { reason: `custom granularity ${td.granularityName} cannot be computed from ${rg} buckets` };
    if (g && !rollsUp(rg, g.standard))
      return { reason: `granularity ${g.standard} cannot be computed from ${rg} buckets` };
    if (td.dateRange) {
      const range = resolveDateRange(
        td.dateRange,
        'UTC',
        p.ctx.clock.now,
        `timeDimensions[${td.index}].dateRange`,
      );
      if (!aligned(range.start) || !aligned(range.end)) {
        return { reason: `the dateRange on ${name} does not start and end on ${rg} boundaries (UTC)` };
      }
    }
  }
  for (const s of p.segments) {
    const col = raw(s.name);
    if (!col) return { reason: `segment ${s.name} is not in the rollup` };
    members.set(s.name, col.name);
  }

  const filterLeaf = (leaf: MemberFilter, what: string, path: string): string | undefined => {
    const m = p.filterMembers.get(leaf.member)!;
    if (m.def.kind === 'measure') {
      const why = measure(m as ResolvedMember<MeasureDef>);
      return why && `${what}: ${why}`;
    }
    const d = m as ResolvedMember<DimensionDef>;
    if (raw(d.name)) {
      if (d.def.type === 'string' && RANGE.has(leaf.operator)) {
        return `${what} ${leaf.operator} on ${d.name} compares text, whose order depends on the source database's collation`;
      }
      return dimension(d, `${what} member`);
    }
    if (d.name !== rollup.timeDimension || !bucket || !rg)
      return `${what} member ${d.name} is not in the rollup`;
    members.set(d.name, bucket.name);
    const values = (leaf.values ?? []).map(String);
    const off = `${what} ${leaf.operator} on ${d.name} does not fall on ${rg} boundaries (UTC)`;
    if (leaf.operator === 'set' || leaf.operator === 'notSet') return undefined;
    if (leaf.operator === 'inDateRange' || leaf.operator === 'notInDateRange') {
      const r = resolveDateRange(values.length === 1 ? values[0]! : values, 'UTC', p.ctx.clock.now, path);
      return aligned(r.start) && aligned(r.end) ? undefined : off;
    }
    if (BUCKET_SAFE_INSTANT.has(leaf.operator)) {
      return aligned(resolveInstant(values[0] ?? '', 'UTC', path)) ? undefined : off;
    }
    return `${what} ${leaf.operator} on ${d.name} cannot be answered from ${rg} buckets`;
  };
  const groups: [Filter[], string][] = [
    [p.filters, 'filter'],
    [p.systemFilters, 'security filter'],
  ];
  for (const [filters, what] of groups) {
    for (const [i, f] of filters.entries()) {
      for (const leaf of leaves(f)) {
        const why = filterLeaf(leaf, what, `filters[${i}]`);
        if (why) return { reason: why };
      }
    }
  }

  // Partitions cover time ranges, so rows without a time are in none of them (nor, when the
  // copy it is built from is partitioned, in the rollup).
  const partitionedBy: [td: string, why: string][] = [];
  if (rollup.partitionGranularity && rollup.timeDimension) {
    partitionedBy.push([rollup.timeDimension, `it is partitioned by ${rollup.partitionGranularity}`]);
  }
  if (rollup.originalSql?.partitionedBy) {
    partitionedBy.push([
      rollup.originalSql.partitionedBy,
      `it is built from ${rollup.originalSql.id}, which is partitioned,`,
    ]);
  }
  for (const [td, why] of partitionedBy) {
    const restricted =
      p.timeDimensions.some((t) => t.member.name === td && t.dateRange) ||
      [...p.filters, ...p.systemFilters]
        .flatMap((f) => topLeaves(f))
        .some((l) => l.member === td && !KEEPS_NULL.has(l.operator));
    if (!restricted) {
      return {
        reason: `${why} and holds no rows without ${td}, so the query needs a dateRange or a filter on ${td}`,
      };
    }
  }
  return { members };
}
