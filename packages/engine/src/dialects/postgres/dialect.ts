import { sql } from '../../sql/fragment.js';
import type { Dialect } from '../dialect.js';
import { standardDialect } from '../standard.js';

export const postgresDialect: Dialect = {
  ...standardDialect,
  name: 'postgres',
  // PostgreSQL has no built-in approximate distinct count; exact is always correct.
  countDistinctApprox: (expr) => sql`count(DISTINCT ${expr})`,
  fromEpochSeconds: (expr) => sql`(to_timestamp(${expr}) AT TIME ZONE 'UTC')`,
  castToDouble: (expr) => sql`CAST(${expr} AS DOUBLE PRECISION)`,
};
