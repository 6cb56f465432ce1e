import type { QueryInput, SecurityOptions } from '@inlay/core';

/**
 * One hand-written expectation for the semantic engine over the flights example.
 *
 * `expectedSql` is written by hand, independently of the engine, in SQL that runs unchanged on
 * DuckDB and PostgreSQL against the `flights` and `airports` tables. Its output columns are
 * aliased exactly as the response keys (`"flights.count"`, `"flights.date.month"`); the harness
 * adds the `"cube.member"` duplicate of each time dimension with a granularity.
 */
export interface CorpusCase {
  name: string;
  query: QueryInput;
  /** Defaults to `{ roles: ['admin'] }` (see `ADMIN`). */
  security?: SecurityOptions;
  /** The instant relative date ranges are computed from (ISO, with zone). */
  now?: string;
  expectedSql: string;
  /** True when the query's order fully determines the order of the rows. */
  ordered: boolean;
  /** For `total: true`: SQL returning one row with one column `"total"` (rows without limit/offset). */
  expectedTotalSql?: string;
}

export const ADMIN: SecurityOptions = { roles: ['admin'] };
