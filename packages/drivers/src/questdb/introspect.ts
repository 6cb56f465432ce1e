import type { ColumnInfo } from '@inlay/core';

/** QuestDB has one namespace; tables are reported under this schema name. */
export const QUESTDB_SCHEMA = 'public';

/** Every table QuestDB lists (`tables()` names the column `table_name`; before 8.0, `name`). */
export const TABLES_SQL = 'SELECT * FROM tables()';

/** QuestDB's own bookkeeping tables, not the user's data. */
const SYSTEM_TABLE = /^(?:sys\.|telemetry$|telemetry_config$|_query_trace$)/;

export function tableNamesOf(rows: readonly Record<string, unknown>[]): string[] {
  return rows
    .map((r) => r.table_name ?? r.name)
    .filter((n): n is string => typeof n === 'string' && !SYSTEM_TABLE.test(n))
    .sort();
}

/** `table_columns('t')`: the name is a string literal there (a function argument, not an identifier). */
export function columnsSql(table: string): string {
  if (table.includes('\u0000')) throw new Error('table name contains a NUL character');
  return `SELECT * FROM table_columns('${table.replaceAll("'", "''")}')`;
}

/**
 * `table_columns` rows → ColumnInfo. QuestDB has neither primary nor foreign keys: the designated
 * timestamp orders and partitions a table but does not make rows unique, so it is no primaryKey.
 */
export function columnInfosOf(table: string, rows: readonly Record<string, unknown>[]): ColumnInfo[] {
  return rows.map((r) => ({
    schemaName: QUESTDB_SCHEMA,
    tableName: table,
    columnName: String(r.column ?? r.column_name),
    dataType: String(r.type ?? r.data_type).toLowerCase(),
    attributes: [],
    foreignKeys: [],
  }));
}
