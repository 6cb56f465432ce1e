import { InlayError, type StandardGranularity } from '@inlay/core';
import { DateTime } from 'luxon';
import type { CubeDef, MeasureDef } from '../graph/types.js';
import type { Plan } from '../plan/planner.js';
import { type Fragment, frag, ident, param, sql } from '../sql/fragment.js';
import type { Select } from '../sql/tree.js';
import { resolveDateRange } from '../time/date-range.js';
import { fromJoinTree, whereOf } from './clauses.js';
import { dimensionValue, localTime, type OutputColumn } from './columns.js';
import type { Renderer } from './renderer.js';

const MAX_BUCKETS = 10_000;

/**
 * A `rolling_window` measure: for every bucket of the query's date range, the aggregate over
 * the rows whose time falls in the window anchored at that bucket (Cube's semantics: with
 * `offset: end`, `trailing: 7 day` at day D covers the seven days ending with D).
 */
export function buildRolling(
  p: Plan,
  r: Renderer,
  cols: OutputColumn[],
  cube: CubeDef,
  m: MeasureDef,
  alias: string,
): Select {
  const td = p.timeDimensions.find((t) => t.granularityName)!;
  const g = td.granularity!;
  if (!('standard' in g)) {
    throw new InlayError(
      'QUERY_INVALID',
      `rolling_window measure '${cube.name}.${m.name}' needs a standard granularity.`,
    );
  }
  if (!td.dateRange) {
    throw new InlayError(
      'QUERY_INVALID',
      `rolling_window measure '${cube.name}.${m.name}' needs a dateRange on '${td.member.name}'.`,
      {
        where: { path: `timeDimensions[${td.index}].dateRange` },
        hint: 'The date range decides which buckets exist.',
      },
    );
  }
  const unit = g.standard;
  const range = resolveDateRange(
    td.dateRange,
    p.ctx.timezone,
    p.ctx.clock.now,
    `timeDimensions[${td.index}].dateRange`,
  );
  const series = bucketSeries(range, p.ctx.timezone, unit);
  const { dialect } = p.ctx;
  const bucket = frag([ident('__s'), '.', ident('__b')]);
  const w = m.rollingWindow!;
  const anchor = w.offset === 'start' ? bucket : dialect.addInterval(bucket, 1, unit);
  const rowTime = frag([ident('__r'), '.', ident('__t')]);
  const bounds: Fragment[] = [];
  if (w.trailing !== 'unbounded') {
    bounds.push(
      sql`${rowTime} >= ${w.trailing ? dialect.addInterval(anchor, -w.trailing.n, w.trailing.unit) : anchor}`,
    );
  }
  if (w.leading !== 'unbounded') {
    bounds.push(
      sql`${rowTime} < ${w.leading ? dialect.addInterval(anchor, w.leading.n, w.leading.unit) : anchor}`,
    );
  }

  const keyCols = cols.filter((c) => c.kind !== 'measure');
  const tdAlias = keyCols.find((c) => c.kind === 'timeDimension')!.alias;
  const otherKeys = keyCols.filter((c) => c.kind === 'dimension');
  const { from, joins } = fromJoinTree(p.ctx.model, p.tree, r);
  const where = whereOf(p, r, { skipDateRangeOf: td.member.name });
  const rows: Select = {
    kind: 'select',
    columns: [
      ...otherKeys.map((c) => ({ alias: c.alias, expr: dimensionValue(r, c.member) })),
      { alias: '__t', expr: localTime(r, r.dimension(td.member.cube, td.member.def)) },
      { alias: '__v', expr: rowValue(r, cube, m) },
    ],
    from,
    joins,
    ...(where ? { where } : {}),
  };
  const v = frag([ident('__r'), '.', ident('__v')]);
  const agg =
    m.type === 'count'
      ? sql`count(${v})`
      : m.type === 'count_distinct'
        ? sql`count(DISTINCT ${v})`
        : m.type === 'count_distinct_approx'
          ? dialect.countDistinctApprox(v)
          : sql`${m.type}(${v})`;
  const columns = keyCols.map((c) => ({
    alias: c.alias,
    expr: c.alias === tdAlias ? bucket : frag([ident('__r'), '.', ident(c.alias)]),
  }));
  return {
    kind: 'select',
    columns: [...columns, { alias, expr: agg }],
    from: {
      kind: 'select',
      alias: '__s',
      select: {
        kind: 'union',
        all: true,
        selects: series.map((b) => ({
          kind: 'select',
          columns: [
            { alias: '__b', expr: dialect.timestampValue(frag([param({ kind: 'timestamp', utc: b })])) },
          ],
        })),
      },
    },
    joins: [
      {
        type: 'LEFT',
        item: { kind: 'select', select: rows, alias: '__r' },
        on: bounds.length ? frag(bounds.flatMap((b, i) => (i ? [' AND ', b] : [b]))) : frag(['1 = 1']),
      },
    ],
    groupBy: columns.map((_, i) => i + 1),
  };
}

function rowValue(r: Renderer, cube: CubeDef, m: MeasureDef): Fragment {
  if (!['count', 'count_distinct', 'count_distinct_approx', 'sum', 'avg', 'min', 'max'].includes(m.type)) {
    throw new InlayError(
      'MODEL_INVALID',
      `rolling_window works on count, sum, avg, min, max and distinct counts, not '${m.type}'.`,
      {
        where: { ...m.loc, cube: cube.name, member: m.name },
      },
    );
  }
  const base = m.sql ? r.template(m.sql) : (r.primaryKey(cube) ?? frag(['1']));
  if (!m.filters.length) return base;
  const conds = m.filters.map((f) => r.template(f));
  return sql`CASE WHEN ${frag(conds.flatMap((c, i) => (i ? [' AND ', c] : [c])))} THEN ${base} END`;
}

/** Bucket starts covering the range, on the local wall clock, as naive text. */
function bucketSeries(
  range: { start: string; end: string },
  tz: string,
  unit: StandardGranularity,
): string[] {
  const start = DateTime.fromISO(range.start, { zone: 'UTC' }).setZone(tz);
  const end = DateTime.fromISO(range.end, { zone: 'UTC' }).setZone(tz);
  const out: string[] = [];
  for (let b = start.startOf(unit); b < end; b = b.plus({ [`${unit}s`]: 1 })) {
    if (out.length >= MAX_BUCKETS)
      throw new InlayError(
        'QUERY_INVALID',
        `the date range holds more than ${MAX_BUCKETS} ${unit} buckets.`,
        { hint: 'Use a coarser granularity or a shorter range.' },
      );
    out.push(b.toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS"));
  }
  return out;
}
