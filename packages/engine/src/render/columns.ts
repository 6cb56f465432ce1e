import { InlayError } from '@inlay/core';
import type { CustomGranularity, DimensionDef, MeasureDef } from '../graph/types.js';
import type { Plan, PlannedTimeDimension } from '../plan/planner.js';
import type { ResolvedMember } from '../plan/resolve.js';
import { type Fragment, frag, param, sql } from '../sql/fragment.js';
import type { Duration } from '../time/duration.js';
import type { Renderer } from './renderer.js';

const FIXED_SECONDS: Record<string, number> = {
  second: 1,
  minute: 60,
  hour: 3600,
  day: 86_400,
  week: 604_800,
};

/** One output column: its SQL alias, the response keys it fills and how to read its values. */
export type OutputColumn = {
  alias: string;
  keys: string[];
  type: string;
  granularity?: string;
} & (
  | { kind: 'dimension' | 'timeDimension'; member: ResolvedMember<DimensionDef> }
  | { kind: 'measure'; member: ResolvedMember<MeasureDef> }
);

export function aliasFor(name: string, used: Set<string>): string {
  let alias = name.replace(/[^A-Za-z0-9_]/g, '__').toLowerCase();
  if (alias.length > 60) alias = alias.slice(0, 56);
  let candidate = alias;
  for (let i = 1; used.has(candidate); i++) candidate = `${alias}_${i}`;
  used.add(candidate);
  return candidate;
}

/** The output columns of a plan, in select order: dimensions, time dimensions, measures. */
export function outputColumns(p: Plan): OutputColumn[] {
  const used = new Set<string>();
  const cols: OutputColumn[] = [];
  for (const d of p.dimensions) {
    cols.push({
      alias: aliasFor(d.name, used),
      keys: [d.name],
      kind: 'dimension',
      type: d.def.type,
      member: d,
    });
  }
  const baseKeyTaken = new Set(p.dimensions.map((d) => d.name));
  for (const td of p.timeDimensions) {
    if (!td.granularityName) continue;
    const full = `${td.member.name}.${td.granularityName}`;
    const keys = [full];
    if (!baseKeyTaken.has(td.member.name)) {
      keys.push(td.member.name);
      baseKeyTaken.add(td.member.name);
    }
    cols.push({
      alias: aliasFor(full, used),
      keys,
      kind: 'timeDimension',
      type: 'time',
      member: td.member,
      granularity: td.granularityName,
    });
  }
  for (const m of p.measures) {
    // string, time and boolean measures keep their type; every aggregate is a number.
    const type = ['string', 'time', 'boolean'].includes(m.def.type) ? m.def.type : 'number';
    cols.push({ alias: aliasFor(m.name, used), keys: [m.name], kind: 'measure', type, member: m });
  }
  return cols;
}

/** A dimension's value as returned: times on the wall clock of the query's time zone. */
export function dimensionValue(r: Renderer, d: ResolvedMember<DimensionDef>): Fragment {
  const expr = r.dimension(d.cube, d.def);
  return d.def.type === 'time' ? localTime(r, expr) : expr;
}

export function localTime(r: Renderer, expr: Fragment): Fragment {
  if (r.ctx.timezone === 'UTC') return expr;
  return r.ctx.dialect.toZone(expr, frag([param(r.ctx.timezone)]));
}

/** The bucket a row falls in, computed on the local wall clock. */
export function timeBucket(r: Renderer, td: PlannedTimeDimension): Fragment {
  const local = localTime(r, r.dimension(td.member.cube, td.member.def));
  const g = td.granularity!;
  if ('standard' in g) return r.ctx.dialect.truncate(g.standard, local);
  return customBucket(r, local, g.custom);
}

function customBucket(r: Renderer, local: Fragment, g: CustomGranularity): Fragment {
  const { dialect } = r.ctx;
  const shift = (e: Fragment, parts: Duration[] | undefined, sign: 1 | -1) =>
    (parts ?? []).reduce((acc, p) => dialect.addInterval(acc, sign * p.n, p.unit), e);
  if (g.interval.length === 1 && g.interval[0]!.n === 1 && !g.origin) {
    const unit = g.interval[0]!.unit;
    return shift(dialect.truncate(unit, shift(local, g.offset, -1)), g.offset, 1);
  }
  if (g.interval.every((p) => p.unit in FIXED_SECONDS)) {
    const seconds = g.interval.reduce((s, p) => s + p.n * FIXED_SECONDS[p.unit]!, 0);
    const origin = g.origin ? dialect.epochSeconds(r.timeParam(g.origin.replace(' ', 'T'))) : frag(['0']);
    const originShifted = g.offset
      ? dialect.epochSeconds(shift(dialect.fromEpochSeconds(origin), g.offset, 1))
      : origin;
    const n = String(seconds);
    return dialect.fromEpochSeconds(
      sql`floor((${dialect.epochSeconds(local)} - ${originShifted}) / ${n}) * ${n} + ${originShifted}`,
    );
  }
  throw new InlayError(
    'QUERY_INVALID',
    `granularity '${g.name}' (several months with an origin) is not supported yet.`,
    {
      hint: 'Use an interval of one unit with an offset, or a fixed-length interval (seconds to weeks).',
    },
  );
}
