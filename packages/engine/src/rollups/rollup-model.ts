import type {
  CubeDef,
  DimensionDef,
  MeasureDef,
  SegmentDef,
  SemanticModel,
  Template,
  TemplatePart,
} from '../graph/types.js';
import type { RollupColumn, RollupDef } from './types.js';

/** The one cube of a rollup model; its members are named after the rollup's columns. */
export const ROLLUP_CUBE = '__rollup';

const cache = new WeakMap<RollupDef, Map<string, SemanticModel>>();

function template(parts: TemplatePart[]): Template {
  return { source: '', parts };
}

function column(col: RollupColumn): TemplatePart[] {
  return [{ ref: 'cube', cube: ROLLUP_CUBE }, '.', { ref: 'column', name: col.name }];
}

/**
 * A model whose single cube reads the rollup's table: dimensions are its columns, measures
 * re-aggregate them (a count is the sum of counts, an average the sum of sums over the sum of
 * counts). The planner compiles a query over it like any other, so filters, measure filters,
 * coarser time buckets, order, paging and `total` need nothing of their own. `from` is the
 * locator's trusted FROM expression.
 */
export function rollupModel(cubes: Map<string, CubeDef>, rollup: RollupDef, from: string): SemanticModel {
  const perFrom = cache.get(rollup) ?? new Map<string, SemanticModel>();
  cache.set(rollup, perFrom);
  const hit = perFrom.get(from);
  if (hit) return hit;

  const source = cubes.get(rollup.cube)!;
  const member = (full: string) => {
    const dot = full.indexOf('.');
    const cube = cubes.get(full.slice(0, dot))!;
    const name = full.slice(dot + 1);
    return cube.dimensions.get(name) ?? cube.measures.get(name) ?? cube.segments.get(name)!;
  };
  const dimensions = new Map<string, DimensionDef>();
  const measures = new Map<string, MeasureDef>();
  const segments = new Map<string, SegmentDef>();
  const avgCount = new Map(rollup.columns.filter((c) => c.role === 'avg_count').map((c) => [c.member, c]));

  for (const col of rollup.columns) {
    const def = member(col.member);
    const own = { cube: ROLLUP_CUBE, name: col.name, public: true };
    if (def.kind === 'segment') {
      segments.set(col.name, { ...def, ...own, sql: template(column(col)) });
    } else if (def.kind === 'dimension') {
      const { caseWhen: _c, latitude: _lat, longitude: _lon, ...rest } = def;
      dimensions.set(col.name, {
        ...rest,
        ...own,
        sql: template(column(col)),
        primaryKey: false,
        subQuery: false,
        // A bucket column only rolls up to standard granularities (checked before use).
        granularities: col.role === 'time' ? new Map() : def.granularities,
      });
    } else if (col.role === 'measure' || col.role === 'avg_sum') {
      const { rollingWindow: _rw, ...rest } = def;
      const base = { ...rest, ...own, filters: [] };
      const x = column(col);
      if (def.type === 'count') {
        // A count over no rows is 0, not NULL.
        measures.set(col.name, { ...base, type: 'number', sql: template(['coalesce(sum(', ...x, '), 0)']) });
      } else if (def.type === 'sum' || def.type === 'min' || def.type === 'max') {
        measures.set(col.name, { ...base, type: def.type, sql: template(x) });
      } else if (def.type === 'avg') {
        const n = column(avgCount.get(col.member)!);
        measures.set(col.name, {
          ...base,
          type: 'number',
          sql: template(['sum(', ...x, ') / NULLIF(sum(', ...n, '), 0)']),
        });
      }
      // Other measure types are never answered from a rollup, so they get no member.
    }
  }

  const cube: CubeDef = {
    kind: 'cube',
    name: ROLLUP_CUBE,
    from: template([from]),
    dataSource: source.dataSource,
    title: source.title,
    markedPublic: false,
    public: true,
    dimensions,
    measures,
    segments,
    joins: new Map(),
    primaryKeys: [],
    preAggregations: [],
    loc: source.loc,
  };
  const model: SemanticModel = {
    version: `rollup:${rollup.hash}`,
    cubes: new Map([[ROLLUP_CUBE, cube]]),
    views: new Map(),
  };
  perFrom.set(from, model);
  return model;
}
