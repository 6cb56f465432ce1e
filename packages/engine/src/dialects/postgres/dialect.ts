import type { Dialect } from '../../sql/dialect.js';
import { sql } from '../../sql/fragment.js';
import { standardDialect } from '../standard.js';

export const postgresDialect: Dialect = {
  ...standardDialect,
  name: 'postgres',
  // PostgreSQL has no built-in approximate distinct count; exact is always correct.
  countDistinctApprox: (expr) => sql`count(DISTINCT ${expr})`,
  fromEpochSeconds: (expr) => sql`(to_timestamp(${expr}) AT TIME ZONE 'UTC')`,
  castToDouble: (expr) => sql`CAST(${expr} AS DOUBLE PRECISION)`,
  // Parameters travel as text and PostgreSQL would type them after the column (integer), so
  // 1.5 or 3e9 would fail: integers bind as bigint (indexes still apply), others as numeric.
  numberParam: (p, value) =>
    Number.isSafeInteger(value) ? sql`CAST(${p} AS BIGINT)` : sql`CAST(${p} AS NUMERIC)`,
};
