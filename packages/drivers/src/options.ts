/** Options every driver accepts (Embeddable-style connection settings live in the credentials). */
export interface DriverOptions {
  /** Read-only session: PostgreSQL `default_transaction_read_only=on`, DuckDB `access_mode=READ_ONLY`. */
  readOnly?: boolean;
  /** Most connections open at once (PostgreSQL default 10, DuckDB default 4). */
  poolSize?: number;
  /** Timeout for `query` when the call gives none; no timeout when both are absent. */
  defaultTimeoutMs?: number;
  /** PostgreSQL/QuestDB: how long connecting may take before CONNECTION_TIMEOUT; default 10 000. */
  connectTimeoutMs?: number;
}
