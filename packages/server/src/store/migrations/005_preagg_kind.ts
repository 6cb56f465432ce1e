import { type Kysely, sql } from 'kysely';

/**
 * What each manifest row is: a partition of a rollup (which serves queries) or of an original_sql
 * copy (which only feeds rollups). Before, a copy was told by its file name, which a pending
 * partition does not have yet. Rows written before this are classified by that name once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('preagg_partitions')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('rollup'))
    .execute();
  await sql`update preagg_partitions set kind = 'original_sql' where file like '%.original_sql.parquet'`.execute(
    db,
  );
  await sql`update schema_version set version = 5`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('preagg_partitions').dropColumn('kind').execute();
  await sql`update schema_version set version = 4`.execute(db);
}
