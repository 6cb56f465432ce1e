import type { PreAggregationSpec, StandardGranularity } from '@inlay/core';
import type { CubeDef, DimensionDef, MeasureDef } from '../graph/types.js';
import { didYouMean } from '../validate/suggest.js';
import type { RollupColumn, RollupDef } from './types.js';

/** A rollup table's columns and indexes, from its resolved members (see define.ts). */

export type Fail = (message: string, hint?: string) => void;
export type Member = { cube: CubeDef; name: string; full: string };

const DIMENSION_TYPE: Record<DimensionDef['type'], RollupColumn['duckdbType']> = {
  string: 'VARCHAR',
  geo: 'VARCHAR',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  time: 'TIMESTAMP',
};

function measureType(m: MeasureDef): RollupColumn['duckdbType'] {
  if (m.type === 'count' || m.type === 'count_distinct' || m.type === 'count_distinct_approx')
    return 'BIGINT';
  if (m.type === 'string') return 'VARCHAR';
  if (m.type === 'time') return 'TIMESTAMP';
  if (m.type === 'boolean') return 'BOOLEAN';
  return 'DOUBLE';
}

/** Column names: lower-case, [a-z0-9_], unique within the rollup. */
function columnNamer(): (base: string) => string {
  const used = new Set<string>();
  return (base) => {
    const clean = base
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_')
      .slice(0, 60);
    let name = clean;
    for (let i = 2; used.has(name); i++) name = `${clean}_${i}`;
    used.add(name);
    return name;
  };
}

/**
 * The table's columns — dimensions, segments (as booleans), the time bucket, measures (an
 * average as its sum and count) — and the indexes over them.
 */
export function columnsOf(
  cube: CubeDef,
  spec: PreAggregationSpec,
  dimensions: Member[],
  segments: Member[],
  measures: Member[],
  time: Member | undefined,
  granularity: StandardGranularity | undefined,
  bad: Fail,
): { columns: RollupColumn[]; indexes: RollupDef['indexes'] } {
  const name = columnNamer();
  const columns: RollupColumn[] = [];
  const columnOf = new Map<string, string>();
  for (const d of dimensions) {
    const col = name(`${d.cube.name}__${d.name}`);
    columnOf.set(d.full, col);
    columns.push({
      name: col,
      member: d.full,
      role: 'dimension',
      duckdbType: DIMENSION_TYPE[d.cube.dimensions.get(d.name)!.type],
    });
  }
  for (const s of segments) {
    const col = name(`${s.cube.name}__${s.name}`);
    columnOf.set(s.full, col);
    columns.push({ name: col, member: s.full, role: 'dimension', duckdbType: 'BOOLEAN' });
  }
  if (time && granularity) {
    const col = name(`${time.cube.name}__${time.name}_${granularity}`);
    // An index on the time dimension means its bucket, unless the raw value is a dimension too.
    if (!columnOf.has(time.full)) columnOf.set(time.full, col);
    columns.push({ name: col, member: time.full, role: 'time', duckdbType: 'TIMESTAMP' });
  }
  for (const m of measures) {
    const def = m.cube.measures.get(m.name)!;
    if (def.type === 'avg') {
      const base = `${m.cube.name}__${m.name}`;
      columns.push({ name: name(`${base}__sum`), member: m.full, role: 'avg_sum', duckdbType: 'DOUBLE' });
      columns.push({ name: name(`${base}__count`), member: m.full, role: 'avg_count', duckdbType: 'BIGINT' });
    } else {
      columns.push({
        name: name(`${m.cube.name}__${m.name}`),
        member: m.full,
        role: 'measure',
        duckdbType: measureType(def),
      });
    }
  }

  const indexes: RollupDef['indexes'] = [];
  for (const idx of spec.indexes ?? []) {
    const cols: string[] = [];
    for (const text of idx.columns) {
      const parts = text.replace(/[{}\s]/g, '').split('.');
      const full =
        parts.length === 1 || parts[0] === 'CUBE' ? `${cube.name}.${parts.at(-1)}` : parts.join('.');
      const col = columnOf.get(full);
      if (col) cols.push(col);
      else
        bad(
          `index '${idx.name}' names '${text}', which is not a dimension, segment or time_dimension of this rollup.`,
          didYouMean(full, columnOf.keys()),
        );
    }
    indexes.push({ name: idx.name, columns: cols });
  }
  return { columns, indexes };
}
