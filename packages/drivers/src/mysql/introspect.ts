/** information_schema queries for MySQL/MariaDB introspection (a MySQL database is a schema). */

export const SYSTEM_SCHEMAS = ['information_schema', 'mysql', 'performance_schema', 'sys'];

export const SCHEMAS_SQL = `
SELECT SCHEMA_NAME AS schema_name FROM information_schema.SCHEMATA
WHERE SCHEMA_NAME NOT IN (${SYSTEM_SCHEMAS.map((s) => `'${s}'`).join(', ')})
ORDER BY SCHEMA_NAME`;

export const TABLES_SQL = `
SELECT TABLE_NAME AS table_name FROM information_schema.TABLES
WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME`;

/** `(TABLE_SCHEMA, TABLE_NAME) IN ((?, ?), …)` for `n` tables. */
function wanted(n: number, prefix: string): string {
  const pairs = Array.from({ length: n }, () => '(?, ?)').join(', ');
  return `(${prefix}TABLE_SCHEMA, ${prefix}TABLE_NAME) IN (${pairs})`;
}

export function columnsSql(n: number): string {
  return `
SELECT c.TABLE_SCHEMA AS schema_name, c.TABLE_NAME AS table_name, c.COLUMN_NAME AS column_name,
  c.COLUMN_TYPE AS data_type
FROM information_schema.COLUMNS c
WHERE ${wanted(n, 'c.')}
ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION`;
}

/** Primary key parts and foreign keys of the tables, one row per column and constraint. */
export function keysSql(n: number): string {
  return `
SELECT k.TABLE_SCHEMA AS schema_name, k.TABLE_NAME AS table_name, k.COLUMN_NAME AS column_name,
  k.CONSTRAINT_NAME AS constraint_name, k.REFERENCED_TABLE_SCHEMA AS target_schema,
  k.REFERENCED_TABLE_NAME AS target_table, k.REFERENCED_COLUMN_NAME AS target_column
FROM information_schema.KEY_COLUMN_USAGE k
WHERE ${wanted(n, 'k.')} AND (k.CONSTRAINT_NAME = 'PRIMARY' OR k.REFERENCED_TABLE_NAME IS NOT NULL)
ORDER BY k.CONSTRAINT_NAME, k.ORDINAL_POSITION`;
}

/**
 * Whether the current user could change data: the server is not read-only and the user holds a
 * writing privilege globally, on a database, or on a table. The GRANTEE filter matters for users
 * who may read the grant tables (information_schema then lists everyone's privileges).
 */
export const CAN_WRITE_SQL = `
SELECT (@@global.read_only = 0 AND EXISTS (
  SELECT 1 FROM (
    SELECT GRANTEE, PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES
    UNION ALL SELECT GRANTEE, PRIVILEGE_TYPE FROM information_schema.SCHEMA_PRIVILEGES
    UNION ALL SELECT GRANTEE, PRIVILEGE_TYPE FROM information_schema.TABLE_PRIVILEGES
  ) p
  WHERE p.GRANTEE = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''',
                           SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')
    AND p.PRIVILEGE_TYPE IN ('INSERT', 'UPDATE', 'DELETE', 'CREATE', 'DROP', 'ALTER')
)) AS can_write`;

/** A named zone CONVERT_TZ knows only when the time zone tables are loaded (NULL otherwise). */
export const ZONES_LOADED_SQL =
  "SELECT CONVERT_TZ('2001-01-01 00:00:00', '+00:00', 'America/New_York') IS NOT NULL AS ok";
