/** Catalog queries for PostgreSQL introspection (pg_catalog, so they see constraints the user cannot alter). */

export const SCHEMAS_SQL = `
SELECT nspname AS schema_name FROM pg_namespace
WHERE nspname NOT IN ('pg_catalog', 'information_schema')
  AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp\\_%'
  AND has_schema_privilege(oid, 'USAGE')
ORDER BY nspname`;

export const TABLES_SQL = `
SELECT c.relname AS table_name
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
ORDER BY c.relname`;

/** $1 schema names, $2 table names (parallel text arrays). Foreign keys come as a JSON array. */
export const COLUMNS_SQL = `
WITH wanted AS (SELECT DISTINCT s, t FROM unnest($1::text[], $2::text[]) AS w(s, t))
SELECT n.nspname AS schema_name, c.relname AS table_name, a.attname AS column_name,
  format_type(a.atttypid, a.atttypmod) AS data_type,
  EXISTS (
    SELECT 1 FROM pg_constraint p
    WHERE p.conrelid = c.oid AND p.contype = 'p' AND a.attnum = ANY (p.conkey)
  ) AS is_primary,
  COALESCE((
    SELECT json_agg(json_build_object(
      'targetTable', CASE WHEN tn.nspname = n.nspname THEN tc.relname ELSE tn.nspname || '.' || tc.relname END,
      'targetColumn', ta.attname) ORDER BY f.conname)
    FROM pg_constraint f
    CROSS JOIN LATERAL unnest(f.conkey, f.confkey) AS k(src, dst)
    JOIN pg_class tc ON tc.oid = f.confrelid
    JOIN pg_namespace tn ON tn.oid = tc.relnamespace
    JOIN pg_attribute ta ON ta.attrelid = f.confrelid AND ta.attnum = k.dst
    WHERE f.conrelid = c.oid AND f.contype = 'f' AND k.src = a.attnum
  ), '[]') AS foreign_keys
FROM wanted w
JOIN pg_namespace n ON n.nspname = w.s
JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = w.t
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY n.nspname, c.relname, a.attnum`;

/**
 * Whether the current user could change data: not in a read-only transaction, and a superuser,
 * or allowed to create in the database or a schema, or to modify some table.
 */
export const CAN_WRITE_SQL = `
SELECT current_setting('transaction_read_only') = 'off' AND (
  (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
  OR has_database_privilege(current_database(), 'CREATE')
  OR EXISTS (
    SELECT 1 FROM pg_namespace n
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
      AND has_schema_privilege(n.oid, 'CREATE'))
  OR EXISTS (
    SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_%'
      AND has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE'))
) AS can_write`;
