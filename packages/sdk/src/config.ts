import type { DuckDBCredentials, PostgresCredentials, QuestDBCredentials } from '@inlay/drivers';

/** A database connection in the Embeddable shape: a driver `type` and its `credentials`. */
export type ConnectionConfig =
  | { type: 'duckdb'; credentials?: DuckDBCredentials }
  | { type: 'postgres' | 'postgresql'; credentials: PostgresCredentials }
  | { type: 'questdb'; credentials: QuestDBCredentials };

/**
 * `inlay.config.json` (or the object given to `defineConfig`). Relative paths are resolved
 * against the project folder, the one holding the config file.
 */
export interface InlayConfig {
  /** The database queries run against; the demo's DuckDB file when absent (flights example only). */
  connection?: ConnectionConfig;
}

/** Identity function that gives an Inlay config its type (for `inlay.config.ts` and editors). */
export function defineConfig(config: InlayConfig): InlayConfig {
  return config;
}
