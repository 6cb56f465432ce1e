import type { CellValue, Driver, ParamValue, QueryResult, Row } from '@inlay/core';
import { DuckDBDriver } from '@inlay/drivers';
import {
  originalSqlBuildQuery,
  originalSqlRollupBuildQuery,
  originalSqlRollupRangeQuery,
  type RollupDef,
  type RollupPartition,
  rollupBuildQuery,
  rollupPartitions,
  rollupRangeQuery,
  type SemanticModel,
} from '@inlay/engine';
import type { Store } from '../store/index.js';
import { resolveFile } from './files.js';
import type { ParquetColumn } from './parquet.js';
import type { RollupSource } from './sources.js';

/**
 * Where a target's partitions are read from. Rollups and original_sql copies read the source
 * database; a rollup with `use_original_sql_pre_aggregations` reads its copy's Parquet files in
 * an in-memory DuckDB of its own, so the cube's SQL runs on the source once per copy refresh
 * rather than once per rollup and partition.
 */
export interface PartitionSource {
  partitions(): Promise<RollupPartition[]>;
  /** Recorded with every partition built; when it changes the partition is due, for `changed`. */
  refreshValue(): Promise<string | undefined>;
  /** Whether `refreshValue` (rather than `every`) decides when a partition is due. */
  keyed: boolean;
  changed: string;
  /** Runs one partition's build query; the rows and the Parquet columns they fill. */
  build(p: RollupPartition, signal: AbortSignal): Promise<{ rows: Row[]; columns: ParquetColumn[] }>;
  close(): Promise<void>;
}

export interface SourceTarget {
  workspaceId: string;
  environment: string;
  model: SemanticModel;
  rollup: RollupDef;
  driver: Driver;
  /** The connection the environment maps the data source to; its `key` is recorded with every partition. */
  source: RollupSource;
}

const DAY_OR_TIMESTAMP = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/;

/** A range bound as drivers return it (naive UTC text, a date) → an instant. */
function toDate(v: CellValue | undefined, what: string): Date | undefined {
  if (v === null || v === undefined) return undefined;
  const text = String(v);
  if (!DAY_OR_TIMESTAMP.test(text)) throw new Error(`the build range ${what} '${text}' is not a timestamp`);
  const d = new Date(`${text.length === 10 ? `${text}T00:00:00` : text.replace(' ', 'T')}Z`);
  if (Number.isNaN(d.getTime())) throw new Error(`the build range ${what} '${text}' is not a timestamp`);
  return d;
}

/** The refresh key's value as text, whatever type the database returns. */
function keyText(row: Row | undefined): string {
  if (!row) return 'null';
  const v = Object.values(row)[0] ?? null;
  return typeof v === 'bigint' ? v.toString() : JSON.stringify(v);
}

/** The partitions covering what `range` finds; one 'all' partition when unpartitioned. */
async function partitionsFrom(
  rollup: RollupDef,
  driver: Driver,
  range: () => { sql: string; params: ParamValue[] },
  timeoutMs: number,
): Promise<RollupPartition[]> {
  // Without time partitions there is one partition, 'all', whatever the range.
  if (!rollup.partitionGranularity || !rollup.timeDimension) {
    return rollupPartitions(rollup, { min: new Date(0), max: new Date(0) });
  }
  const q = range();
  const r = await driver.query(q.sql, q.params, { timeoutMs });
  const min = toDate(r.rows[0]?.min_time, 'start');
  const max = toDate(r.rows[0]?.max_time, 'end');
  // An empty source has no partitions: nothing to build, and no table to serve.
  if (!min || !max) return [];
  return rollupPartitions(rollup, { min, max });
}

/** DuckDB types for a copy's columns from the source's type names; text when unsure. */
export function copyColumnType(sourceType: string): ParquetColumn['duckdbType'] {
  const t = sourceType.trim().toLowerCase();
  if (t === 'bool' || t === 'boolean') return 'BOOLEAN';
  if (/^(u?tinyint|u?smallint|u?integer|int|int[248]|bigint|oid)$/.test(t)) return 'BIGINT';
  if (/^(ubigint|u?hugeint)$/.test(t)) return 'HUGEINT';
  // Decimals arrive from drivers as doubles already (see CellValue).
  if (/^(real|float[48]?|double( precision)?|numeric|decimal)\b/.test(t)) return 'DOUBLE';
  if (t === 'date') return 'DATE';
  if (/^timestamp/.test(t)) return 'TIMESTAMP';
  return 'VARCHAR';
}

/** A DuckDB string literal of a path we made (under the preaggs root). */
function literal(path: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is what it looks for
  if (/[\u0000-\u001f]/.test(path)) throw new Error('refusing a rollup file path with control characters');
  return `'${path.replaceAll("'", "''")}'`;
}

/**
 * The copy's files, when every partition is built from the connection the environment maps now:
 * the trusted FROM the dependent rollup reads, and a version that changes with every rebuild.
 */
async function copyFiles(
  store: Store,
  root: string,
  t: SourceTarget,
): Promise<{ from: string; version: string }> {
  const link = t.rollup.originalSql!;
  const rows = await store.preaggs.listPartitions({
    workspaceId: t.workspaceId,
    environment: t.environment,
    rollupHash: link.hash,
  });
  if (rows.length === 0 || rows.some((r) => !r.file || r.source !== t.source.key)) {
    throw new Error(
      `original_sql ${link.id} is not built yet for environment ${t.environment}; it is built first, then this rollup`,
    );
  }
  const files = rows.map((r) => r.file!);
  const list = files.map((f) => literal(resolveFile(root, f))).join(', ');
  // union_by_name: a partition built before the source gained a column still reads.
  return { from: `read_parquet([${list}], union_by_name = true)`, version: files.join('\n') };
}

/** Where `t`'s partitions come from (see PartitionSource). */
export async function partitionSource(
  t: SourceTarget,
  opts: { store: Store; root: string; timeoutMs: number },
): Promise<PartitionSource> {
  const { rollup, model } = t;
  const { timeoutMs } = opts;
  if (rollup.originalSql) {
    const copy = await copyFiles(opts.store, opts.root, t);
    const duck = new DuckDBDriver({}, { poolSize: 1 });
    return {
      partitions: () =>
        partitionsFrom(rollup, duck, () => originalSqlRollupRangeQuery(model, rollup, copy.from), timeoutMs),
      // Rebuilt when the copy is: its own refresh_key would only re-read the same files.
      refreshValue: async () => copy.version,
      keyed: true,
      changed: 'original_sql rebuilt',
      async build(p, signal) {
        const q = originalSqlRollupBuildQuery(model, rollup, copy.from, p);
        const result = await duck.query(q.sql, q.params, { timeoutMs, signal });
        return { rows: result.rows, columns: checked(result, q.columns) };
      },
      close: () => duck.close(),
    };
  }
  const copy = rollup.type === 'original_sql';
  return {
    partitions: () =>
      partitionsFrom(rollup, t.driver, () => rollupRangeQuery(model, rollup, t.driver.dialect), timeoutMs),
    async refreshValue() {
      if (!rollup.refreshSql) return undefined;
      const r = await t.driver.query(rollup.refreshSql, [], { timeoutMs });
      return keyText(r.rows[0]);
    },
    keyed: rollup.refreshSql !== undefined,
    changed: 'refresh_key changed',
    async build(p, signal) {
      const run = (q: { sql: string; params: ParamValue[] }) =>
        t.driver.query(q.sql, q.params, { timeoutMs, signal });
      if (!copy) {
        const q = rollupBuildQuery(model, rollup, t.driver.dialect, p);
        const result = await run(q);
        return { rows: result.rows, columns: checked(result, q.columns) };
      }
      // A copy holds whatever columns the cube's SQL returns.
      const result = await run(originalSqlBuildQuery(model, rollup, t.driver.dialect, p));
      const columns = result.columns.map((c) => ({ name: c.name, duckdbType: copyColumnType(c.type) }));
      return { rows: result.rows, columns };
    },
    close: async () => {},
  };
}

function checked<C extends { name: string }>(result: QueryResult, columns: C[]): C[] {
  const missing = columns.find((c) => !result.columns.some((rc) => rc.name === c.name));
  if (missing) throw new Error(`the build query returned no column ${missing.name}`);
  return columns;
}
