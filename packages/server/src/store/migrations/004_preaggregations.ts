import { type Kysely, sql } from 'kysely';

/**
 * Pre-aggregations (L2): the manifest of built rollup partitions, the leases that keep two
 * workers from building the same partition at once, and the refresh contexts a workspace asked
 * to keep warm. The manifest is the truth every replica and worker reads; the Parquet files it
 * names live under `<dataDir>/preaggs`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('preagg_partitions')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('rollup_hash', 'text', (c) => c.notNull())
    .addColumn('partition_id', 'text', (c) => c.notNull())
    .addColumn('rollup_id', 'text', (c) => c.notNull())
    .addColumn('data_source', 'text', (c) => c.notNull())
    // `<connection>@<its updated_at>`: rows built from another connection (or credentials) never serve.
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('partition_start', 'text', (c) => c.notNull())
    .addColumn('partition_end', 'text', (c) => c.notNull())
    .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
    // Null until the first build succeeds.
    .addColumn('file', 'text')
    .addColumn('rows', 'integer')
    .addColumn('built_at', 'text')
    .addColumn('refresh_value', 'text')
    .addColumn('build_ms', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'text')
    .addPrimaryKeyConstraint('preagg_partitions_pk', [
      'workspace_id',
      'environment',
      'rollup_hash',
      'partition_id',
    ])
    .execute();

  await db.schema
    .createTable('preagg_leases')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('preagg_refresh_contexts')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id').onDelete('cascade'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('environments', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await sql`update schema_version set version = 4`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['preagg_refresh_contexts', 'preagg_leases', 'preagg_partitions']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await sql`update schema_version set version = 3`.execute(db);
}
