import type { Dialect } from '../../sql/dialect.js';
import { sql } from '../../sql/fragment.js';
import { standardDialect } from '../standard.js';

export const duckdbDialect: Dialect = {
  ...standardDialect,
  name: 'duckdb',
  // Needs the ICU extension, which @duckdb/node-api ships built in.
  toZone: (expr, tz) => sql`timezone(CAST(${tz} AS VARCHAR), timezone('UTC', ${expr}))`,
  countDistinctApprox: (expr) => sql`approx_count_distinct(${expr})`,
  fromEpochSeconds: (expr) => sql`make_timestamp(CAST(round((${expr}) * 1000000) AS BIGINT))`,
  castToDouble: (expr) => sql`CAST(${expr} AS DOUBLE)`,
};
