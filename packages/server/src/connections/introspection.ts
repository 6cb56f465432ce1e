import { type Driver, InlayError } from '@inlay/core';

type TableRef = { schemaName: string; tableName: string };

function listed(names: readonly string[]): string {
  const shown = names.slice(0, 10).map((n) => `'${n}'`);
  return `${shown.join(', ')}${names.length > 10 ? `, … (${names.length} in all)` : ''}`;
}

/**
 * Refuses schemas the connection does not have: a 400 naming them, where the database would
 * answer an empty list as if the schema were empty.
 */
export async function requireSchemas(driver: Driver, schemas: readonly string[]): Promise<void> {
  const known = await driver.schemas();
  const have = new Set(known);
  const unknown = [...new Set(schemas)].filter((s) => !have.has(s));
  if (unknown.length === 0) return;
  throw new InlayError('SCHEMA_UNKNOWN', `this connection has no schema ${listed(unknown)}`, {
    hint: known.length ? `Its schemas: ${listed(known)}.` : 'It lists no schemas this login can use.',
  });
}

/**
 * Refuses tables the connection does not have (and their schemas first): a 400 naming them,
 * where PostgreSQL and DuckDB would leave them out and QuestDB would fail the statement.
 */
export async function requireTables(driver: Driver, tables: readonly TableRef[]): Promise<void> {
  const schemas = [...new Set(tables.map((t) => t.schemaName))];
  await requireSchemas(driver, schemas);
  const missing: string[] = [];
  for (const schema of schemas) {
    const have = new Set(await driver.tables(schema));
    for (const t of tables) {
      if (t.schemaName === schema && !have.has(t.tableName)) missing.push(`${schema}.${t.tableName}`);
    }
  }
  if (missing.length === 0) return;
  throw new InlayError('TABLE_UNKNOWN', `this connection has no table ${listed([...new Set(missing)])}`, {
    hint: 'POST …/tables lists the tables of a schema.',
  });
}
