import { type Kysely, sql } from 'kysely';

/**
 * A project's own components (`inlay build` → `inlay push`): each push's files, kept once per
 * workspace by their SHA-256 (a file unchanged between pushes is stored once); each distinct
 * manifest as an immutable components version; the version a workspace serves now (the builder's
 * palette and preview, the next saved dashboard version); and the version each saved dashboard
 * version pins, so a later push never changes a published dashboard.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('component_files')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    // JS and CSS only, checked to be UTF-8 without NUL, so text holds them byte for byte on both stores.
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('component_files_pk', ['workspace_id', 'sha256'])
    .execute();
  await db.schema
    .createTable('components_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('manifest', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('components_versions_content', ['workspace_id', 'version'])
    .execute();
  // The public file route finds a version by its hash alone (the URL carries no workspace).
  await db.schema
    .createIndex('components_versions_version')
    .on('components_versions')
    .column('version')
    .execute();
  await db.schema.alterTable('workspaces').addColumn('components_version', 'text').execute();
  await db.schema
    .alterTable('dashboard_versions')
    .addColumn('components_version_id', 'text', (c) => c.references('components_versions.id'))
    .execute();
  await sql`update schema_version set version = 9`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('dashboard_versions').dropColumn('components_version_id').execute();
  await db.schema.alterTable('workspaces').dropColumn('components_version').execute();
  await db.schema.dropTable('components_versions').ifExists().execute();
  await db.schema.dropTable('component_files').ifExists().execute();
  await sql`update schema_version set version = 8`.execute(db);
}
