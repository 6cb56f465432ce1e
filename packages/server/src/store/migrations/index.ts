import type { Migration, MigrationProvider } from 'kysely';
import * as m001 from './001_initial.js';
import * as m002 from './002_current_model_version.js';
import * as m003 from './003_workspace_settings_users.js';
import * as m004 from './004_preaggregations.js';
import * as m005 from './005_preagg_kind.js';
import * as m006 from './006_accounts.js';
import * as m007 from './007_builder_dashboards.js';
import * as m008 from './008_api_key_names.js';
import * as m009 from './009_components.js';

/**
 * Every migration, listed by hand: no directory scan, so bundlers and single-file builds see
 * them. A new migration is a new file here that also sets `schema_version` to its number.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '001_initial': m001,
  '002_current_model_version': m002,
  '003_workspace_settings_users': m003,
  '004_preaggregations': m004,
  '005_preagg_kind': m005,
  '006_accounts': m006,
  '007_builder_dashboards': m007,
  '008_api_key_names': m008,
  '009_components': m009,
};

export const LATEST_SCHEMA_VERSION = Object.keys(MIGRATIONS).length;

export const staticMigrations: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
