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
  /** The database queries run against; when absent, the one the `setup` module offers. */
  connection?: ConnectionConfig;
  /**
   * A module the CLI and the server load before opening connections: a path relative to the
   * project folder (`./setup.ts`) or a package specifier resolved from it. It exports
   * `prepare({ dataDir, log }): Promise<{ connection?: { type, credentials }, ready?: Promise<void> }>`:
   * `ready`, when the data is still being prepared as it returns, settles once it is there; the
   * server answers meanwhile and opens connections after it, the CLI waits for it.
   * `'@inlay/example-flights/setup'` (what `inlay init` writes) builds the flights demo data
   * (DuckDB, into `$INLAY_DATA_DIR`, default `./.inlay`) on first use, in the background, and
   * offers it, so a new project runs with no database set up.
   */
  setup?: string;
}

/** Identity function that gives an Inlay config its type (for `inlay.config.ts` and editors). */
export function defineConfig(config: InlayConfig): InlayConfig {
  return config;
}
