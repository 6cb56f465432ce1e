import { type Kysely, sql } from 'kysely';

/**
 * Per-workspace browser origins (CORS), the people of a workspace, and API keys that act for one
 * of them. Roles are checked by the database too, so a bad row cannot come from another writer.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // NOT NULL with a default: existing workspaces read as "no origins of their own".
  await db.schema
    .alterTable('workspaces')
    .addColumn('allowed_origins', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .addUniqueConstraint('users_email', ['workspace_id', 'email'])
    .addCheckConstraint('users_role', sql`role in ('admin', 'editor', 'viewer')`)
    .execute();

  // Nullable: keys made before users existed (and service keys) belong to the workspace alone.
  await db.schema
    .alterTable('api_keys')
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('api_keys_user').on('api_keys').column('user_id').execute();

  await sql`update schema_version set version = 3`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('api_keys_user').ifExists().execute();
  await db.schema.alterTable('api_keys').dropColumn('user_id').execute();
  await db.schema.dropTable('users').ifExists().execute();
  await db.schema.alterTable('workspaces').dropColumn('allowed_origins').execute();
  await sql`update schema_version set version = 2`.execute(db);
}
