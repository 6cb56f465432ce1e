import type { ColumnInfo, ParamValue, QueryResult } from '@inlay/core';

export const SCHEMAS_SQL = `
SELECT schema_name FROM duckdb_schemas()
WHERE database_name = current_database() AND schema_name NOT IN ('information_schema', 'pg_catalog')
ORDER BY schema_name`;

export const TABLES_SQL = `
SELECT table_name FROM information_schema.tables
WHERE table_catalog = current_database() AND table_schema = $1
ORDER BY table_name`;

type Run = (sql: string, params: ParamValue[]) => Promise<QueryResult>;

/** Columns with primary-key and foreign-key facts, in table order then column order. */
export async function introspectColumns(
  run: Run,
  tables: { schemaName: string; tableName: string }[],
): Promise<ColumnInfo[]> {
  const params: ParamValue[] = [];
  const pairs = tables.map((t) => {
    params.push(t.schemaName, t.tableName);
    return `($${params.length - 1}, $${params.length})`;
  });
  const wanted = `(SELECT * FROM (VALUES ${pairs.join(', ')}) AS w(s, t))`;
  const cols = await run(
    `SELECT c.table_schema, c.table_name, c.column_name, c.data_type
     FROM information_schema.columns c
     JOIN ${wanted} w ON w.s = c.table_schema AND w.t = c.table_name
     WHERE c.table_catalog = current_database()
     ORDER BY c.table_schema, c.table_name, c.ordinal_position`,
    params,
  );
  const cons = await run(
    // Parallel unnest: one row per constrained column, paired with the column it references.
    `SELECT k.schema_name, k.table_name, k.constraint_type, unnest(k.constraint_column_names) AS col,
            k.referenced_table AS ref_table, unnest(k.referenced_column_names) AS ref_col
     FROM duckdb_constraints() k
     JOIN ${wanted} w ON w.s = k.schema_name AND w.t = k.table_name
     WHERE k.database_name = current_database()
       AND k.constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')`,
    params,
  );
  const key = (s: unknown, t: unknown, c: string): string => JSON.stringify([s, t, c]);
  const primary = new Set<string>();
  const foreign = new Map<string, { targetTable: string; targetColumn: string }[]>();
  for (const k of cons.rows) {
    const id = key(k.schema_name, k.table_name, String(k.col));
    if (k.constraint_type === 'PRIMARY KEY') {
      primary.add(id);
    } else {
      const list = foreign.get(id) ?? [];
      list.push({ targetTable: String(k.ref_table), targetColumn: String(k.ref_col) });
      foreign.set(id, list);
    }
  }
  return cols.rows.map((r) => {
    const id = key(r.table_schema, r.table_name, String(r.column_name));
    return {
      schemaName: String(r.table_schema),
      tableName: String(r.table_name),
      columnName: String(r.column_name),
      dataType: String(r.data_type),
      attributes: primary.has(id) ? ['primaryKey' as const] : [],
      foreignKeys: foreign.get(id) ?? [],
    };
  });
}
