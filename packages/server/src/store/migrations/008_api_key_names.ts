import { type Kysely, sql } from 'kysely';

/**
 * A label per API key ("billing backend"), so the admin page can say what each key is for before
 * revoking it; the key itself is only ever kept as its hash. Old keys have none (null).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_keys').addColumn('name', 'text').execute();
  await sql`update schema_version set version = 8`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_keys').dropColumn('name').execute();
  await sql`update schema_version set version = 7`.execute(db);
}
