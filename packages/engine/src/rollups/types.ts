import type { StandardGranularity } from '@inlay/core';

/** The shapes the engine and the server share for L2 pre-aggregations (see README.md). */

export type RollupColumnRole = 'dimension' | 'time' | 'measure' | 'avg_sum' | 'avg_count';

export interface RollupColumn {
  /** Column name in the rollup table: [a-z0-9_]+, unique within the rollup. */
  name: string;
  /** The member it holds: 'flights.origin', 'flights.date' (bucket start), 'flights.count'. */
  member: string;
  role: RollupColumnRole;
  /** DuckDB column type used to create the rollup table. */
  duckdbType: 'VARCHAR' | 'DOUBLE' | 'BIGINT' | 'HUGEINT' | 'BOOLEAN' | 'TIMESTAMP';
}

/** [start, end) in UTC; id like '2001-03' / '2001' / '2001-03-14' / 'all'. */
export interface RollupPartition {
  id: string;
  start: Date;
  end: Date;
}

export type PartitionGranularity = 'day' | 'week' | 'month' | 'quarter' | 'year';

export interface RollupDef {
  /** 'flights.by_origin_day' (cube.name). */
  id: string;
  cube: string;
  name: string;
  type: 'rollup' | 'original_sql';
  /** The cube's data_source. */
  dataSource: string;
  /** Full member names. */
  measures: string[];
  dimensions: string[];
  segments: string[];
  timeDimension?: string;
  granularity?: StandardGranularity;
  partitionGranularity?: PartitionGranularity;
  /** From refresh_key.every, else the cube's refresh_key.every, else 1 hour. */
  refreshEveryMs: number;
  /** refresh_key.sql (model SQL, compiled without security context), if any. */
  refreshSql?: string;
  buildRangeStartSql?: string;
  buildRangeEndSql?: string;
  /** Column names of this rollup's table. */
  indexes: { name: string; columns: string[] }[];
  columns: RollupColumn[];
  /** use_original_sql_pre_aggregations: built from its cube's original_sql copy, not the source. */
  originalSql?: OriginalSqlLink;
  /**
   * sha256 (hex, first 16) of everything that decides the table's contents (definition, SQL of
   * every member and of the cubes/joins it reads). Same hash in two model versions → built
   * partitions are reused.
   */
  hash: string;
}

/** The original_sql pre-aggregation a rollup is built from, and what that copy leaves out. */
export interface OriginalSqlLink {
  /** Its id and hash (the hash keys its partitions in the server's manifest). */
  id: string;
  hash: string;
  /** It is partitioned on this time dimension, so rows where that is NULL are in no partition. */
  partitionedBy?: string;
  /** Its build_range_start/end may leave rows out. */
  limited: boolean;
}

/** Where the server keeps a rollup's rows: a trusted FROM expression for DuckDB. undefined = not built. */
export type RollupLocator = (rollup: RollupDef) => string | undefined;
