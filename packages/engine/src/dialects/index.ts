import { InlayError } from '@inlay/core';
import type { Dialect } from '../sql/dialect.js';
import { duckdbDialect } from './duckdb/dialect.js';
import { mysqlDialect } from './mysql/dialect.js';
import { postgresDialect } from './postgres/dialect.js';
import { questdbDialect } from './questdb/dialect.js';

export type { Dialect, IntervalUnit } from '../sql/dialect.js';

const DIALECTS: Record<string, Dialect> = {
  duckdb: duckdbDialect,
  mysql: mysqlDialect,
  postgres: postgresDialect,
  questdb: questdbDialect,
};

export function getDialect(name: string | Dialect): Dialect {
  if (typeof name !== 'string') return name;
  const d = DIALECTS[name];
  if (!d) {
    throw new InlayError('CONFIG', `no SQL dialect named '${name}'.`, {
      hint: `Supported: ${Object.keys(DIALECTS).join(', ')}.`,
    });
  }
  return d;
}
