/** A database connection in the Embeddable shape: a driver `type` and its `credentials`. */
export type ConnectionConfig =
  | { type: 'duckdb'; credentials?: { path?: string } }
  | {
      type: 'postgres' | 'postgresql';
      credentials:
        | { url: string }
        | {
            host: string;
            port?: number;
            database: string;
            user: string;
            password?: string;
            ssl?: boolean | Record<string, unknown>;
          };
    };

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
