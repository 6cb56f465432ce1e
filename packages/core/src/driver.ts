/**
 * The contract between the engine's output (SQL text + bound parameters) and a database.
 * Drivers never see a semantic query; the engine never opens a connection.
 */

/** A bound parameter value. Timestamps travel as `TimestampParam` so each driver can bind them natively. */
export type ParamValue = string | number | boolean | bigint | null | TimestampParam;

/** A UTC instant, as naive ISO text `YYYY-MM-DDTHH:mm:ss.SSS` (the wall clock in UTC). */
export interface TimestampParam {
  kind: 'timestamp';
  utc: string;
}

export interface QueryOptions {
  /** Client-side limit; the driver cancels the statement on the server when it passes. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Column values as drivers must return them: numbers stay numbers when they fit in a double
 * exactly, big integers and decimals that do not fit arrive as `bigint` or decimal strings,
 * timestamps arrive as naive UTC ISO text `YYYY-MM-DDTHH:mm:ss.SSS`, dates as `YYYY-MM-DD`.
 */
export type CellValue = string | number | boolean | bigint | null;
export type Row = Record<string, CellValue>;

export interface QueryResult {
  rows: Row[];
  columns: { name: string; type: string }[];
}

export interface ColumnInfo {
  schemaName: string;
  tableName: string;
  columnName: string;
  dataType: string;
  attributes: 'primaryKey'[];
  foreignKeys: { targetTable: string; targetColumn: string }[];
}

export interface Driver {
  /** The engine dialect to print SQL for; each database's plugin in `@inlay/drivers` names its own. */
  readonly dialect: string;
  query(sql: string, params: readonly ParamValue[], options?: QueryOptions): Promise<QueryResult>;
  /** Runs a statement that changes data (loading demo data, building rollups); not used for user queries. */
  execute(sql: string, params?: readonly ParamValue[]): Promise<void>;
  schemas(): Promise<string[]>;
  tables(schema: string): Promise<string[]>;
  columns(tables: { schemaName: string; tableName: string }[]): Promise<ColumnInfo[]>;
  /** Connectivity check: resolves when the database answers `SELECT 1`. */
  test(): Promise<void>;
  /** Whether the session's user could write (a read-only user or session makes this false). */
  canWrite(): Promise<boolean>;
  close(): Promise<void>;
}
