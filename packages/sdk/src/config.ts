import type { DuckDBCredentials, PostgresCredentials, QuestDBCredentials } from '@inlay/drivers';

/** A database connection in the Embeddable shape: a driver `type` and its `credentials`. */
export type ConnectionConfig =
  | { type: 'duckdb'; credentials?: DuckDBCredentials }
  | { type: 'postgres' | 'postgresql'; credentials: PostgresCredentials }
  | { type: 'questdb'; credentials: QuestDBCredentials };

/**
 * `inlay.config.ts` (the object its `defineConfig` call exports as default) or
 * `inlay.config.json`. Relative paths are resolved against the project folder, the one holding
 * the config file.
 */
export interface InlayConfig {
  /** The database queries run against; the demo's DuckDB file when absent (flights example only). */
  connection?: ConnectionConfig;
  /**
   * `'flights'`: with no `connection`, queries run on the flights demo data (DuckDB, built on first
   * use into `$INLAY_DATA_DIR`, default `./.inlay`), so a new project (`inlay init`) runs with no
   * database set up. Its models must describe the demo's `flights` and `airports` tables.
   */
  demo?: 'flights';
}

/** Identity function that gives an Inlay config its type (for `inlay.config.ts` and editors). */
export function defineConfig(config: InlayConfig): InlayConfig {
  return config;
}
