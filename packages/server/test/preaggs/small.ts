import { join } from 'node:path';
import { createDriver, type DuckDBDriver } from '@inlay/drivers';
import { compileModel, type SemanticModel } from '@inlay/engine';
import type { Store } from '../../src/store/index.js';

/** A tiny source the tests can change: events over two months and a refresh stamp. */
export const SMALL_MODEL = `
cubes:
  - name: events
    sql_table: events
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: kind
        sql: kind
        type: string
      - name: ts
        sql: ts
        type: time
    measures:
      - name: count
        type: count
      - name: total
        sql: value
        type: sum
    pre_aggregations:
      - name: by_kind_day
        measures: [count, total]
        dimensions: [kind]
        time_dimension: ts
        granularity: day
        partition_granularity: month
        refresh_key:
          every: 10 minutes
      - name: by_kind_keyed
        measures: [count, total]
        dimensions: [kind]
        refresh_key:
          sql: SELECT max(v) FROM stamp
`;

export const smallModel = (): SemanticModel =>
  compileModel([{ path: 'models/events.cube.yml', content: SMALL_MODEL }]);

/**
 * A writable DuckDB file with `events` (`rows` rows; `scale` multiplies values so two sources
 * differ) and `stamp`; the driver is the one builds read through.
 */
export async function smallSource(dir: string, name: string, rows = 40, scale = 1): Promise<DuckDBDriver> {
  const d = createDriver('duckdb', { path: join(dir, `${name}.duckdb`) });
  await d.execute('CREATE TABLE events (id INTEGER, kind VARCHAR, ts TIMESTAMP, value DOUBLE)');
  await d.execute(
    `INSERT INTO events SELECT i, ['a', 'b', 'c'][1 + i % 3], TIMESTAMP '2024-01-01' + INTERVAL (i * 36) HOUR, i * $1
     FROM range(${rows}) t(i)`,
    [scale],
  );
  await d.execute('CREATE TABLE stamp (v INTEGER)');
  await d.execute('INSERT INTO stamp VALUES (1)');
  return d;
}

/** Registers a DuckDB file as a connection of the workspace (the builder resolves sources from it). */
export async function addSmallConnection(store: Store, workspaceId: string, name: string, dir: string) {
  await store.connections.create(workspaceId, {
    name,
    type: 'duckdb',
    credentials: { path: join(dir, `${name}.duckdb`) },
  });
}
