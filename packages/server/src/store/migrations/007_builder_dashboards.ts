import { type Kysely, sql } from 'kysely';

/**
 * Dashboards made in the builder: where a dashboard comes from (`code`: a project file or a
 * push, re-saved from there on every start; `builder`: made and saved by people, never touched by
 * a start), its title for lists and search, the draft the builder autosaves between saved
 * versions, and a description per saved version. Plus the workspace's presets ("view as" a
 * customer: security and client contexts from `presets/*.sc.yml` and `*.cc.yml`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('dashboards')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('code'))
    .execute();
  await db.schema.alterTable('dashboards').addColumn('title', 'text').execute();
  await db.schema.alterTable('dashboards').addColumn('draft', 'text').execute();
  await db.schema.alterTable('dashboards').addColumn('draft_updated_at', 'text').execute();
  await db.schema.alterTable('dashboard_versions').addColumn('description', 'text').execute();
  await db.schema
    .createTable('presets')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id').onDelete('cascade'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await sql`update schema_version set version = 7`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('presets').ifExists().execute();
  await db.schema.alterTable('dashboard_versions').dropColumn('description').execute();
  for (const column of ['draft_updated_at', 'draft', 'title', 'source']) {
    await db.schema.alterTable('dashboards').dropColumn(column).execute();
  }
  await sql`update schema_version set version = 6`.execute(db);
}
