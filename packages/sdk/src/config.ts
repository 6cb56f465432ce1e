import type { AliasOf, CredentialsOf, DriverType } from '@inlay/drivers';

/**
 * A database connection in the Embeddable shape: a driver `type` (or one of its aliases) and its
 * `credentials`, one member per database in the drivers' registry. Credentials whose fields are
 * all optional may be left out.
 */
export type ConnectionConfig = {
  [T in DriverType]: { type: T | AliasOf<T> } & (Record<string, never> extends CredentialsOf<T>
    ? { credentials?: CredentialsOf<T> }
    : { credentials: CredentialsOf<T> });
}[DriverType];

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
