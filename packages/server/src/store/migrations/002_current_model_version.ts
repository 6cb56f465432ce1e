import { type Kysely, sql } from 'kysely';

/**
 * The model version a workspace serves to queries that no dashboard version pins (the API-key
 * preview, `/meta`): set on start from the project and by every bundle upload.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('workspaces').addColumn('model_version', 'text').execute();
  await sql`update schema_version set version = 2`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('workspaces').dropColumn('model_version').execute();
  await sql`update schema_version set version = 1`.execute(db);
}
