import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Driver, QueryInput, Row, SecurityOptions } from '@inlay/core';
import { expect } from 'vitest';
import {
  compileFromRollup,
  type compileModel,
  type RollupDef,
  type RollupLocator,
  rollupBuildQuery,
  rollupPartitions,
  rollupRangeQuery,
  runQuery,
  shapeRows,
} from '../../src/index.js';
import { expectSameRows } from '../corpus/compare.js';

type Model = ReturnType<typeof compileModel>;

/** Driver timestamps are naive UTC text. */
function toDate(v: unknown): Date {
  return new Date(v === null || v === undefined ? Number.NaN : `${String(v)}Z`);
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return `"${v.replaceAll('"', '""')}"`;
  return String(v);
}

/** Rows from another database into the store through a CSV file (far faster than parameters). */
async function copyRows(store: Driver, table: string, rollup: RollupDef, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const dir = await mkdtemp(join(tmpdir(), 'inlay-rollup-'));
  const file = join(dir, 'rows.csv');
  try {
    await writeFile(
      file,
      rows.map((r) => rollup.columns.map((c) => csvCell(r[c.name])).join(',')).join('\n'),
    );
    // Unquoted empty is NULL; a quoted empty string stays a string.
    await store.execute(
      `COPY ${table} FROM '${file}' (FORMAT csv, HEADER false, NULLSTR '', ALLOW_QUOTED_NULLS false)`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** CREATE TABLE for a rollup's columns, as the server would. */
export function createTableSql(rollup: RollupDef, table: string): string {
  return `CREATE TABLE ${table} (${rollup.columns.map((c) => `"${c.name}" ${c.duckdbType}`).join(', ')})`;
}

/**
 * Builds a rollup the way the server does (range query, partitions, one build query each) into
 * `table` of `store`. When the source is the store itself the rows stay inside DuckDB; otherwise
 * they are read from the source and copied in.
 */
export async function buildRollup(
  model: Model,
  rollup: RollupDef,
  source: Driver,
  store: Driver,
  table: string,
): Promise<number> {
  const range = rollupRangeQuery(model, rollup, source.dialect);
  const row = (await source.query(range.sql, range.params)).rows[0]!;
  const partitions = rollupPartitions(rollup, { min: toDate(row.min_time), max: toDate(row.max_time) });
  await store.execute(createTableSql(rollup, table));
  for (const p of partitions) {
    const q = rollupBuildQuery(model, rollup, source.dialect, p);
    if (source === store) {
      await store.execute(`INSERT INTO ${table} ${q.sql}`, q.params);
      continue;
    }
    const { rows, columns } = await source.query(q.sql, q.params);
    expect(columns.map((c) => c.name)).toEqual(rollup.columns.map((c) => c.name));
    await copyRows(store, table, rollup, rows);
  }
  const count = await store.query(`SELECT count(*) AS n FROM ${table}`, []);
  return Number(count.rows[0]!.n);
}

export interface Comparison {
  rollup?: string;
  reason?: string;
  refused?: string;
}

/**
 * When `compileFromRollup` answers a query from a rollup, runs it on the rollup store and on the
 * source (`runQuery`) and asserts the same rows, annotation and total. A query it refuses must be
 * refused by the source with the same error code.
 */
export async function compareAnswers(opts: {
  model: Model;
  source: Driver;
  store: Driver;
  locate: RollupLocator;
  query: QueryInput;
  security: SecurityOptions;
  now?: Date;
  name: string;
  ordered: boolean;
}): Promise<Comparison> {
  const { model, source, store, query, security, now, locate } = opts;
  const run = () => runQuery(model, source, query, { security, ...(now ? { now } : {}) });
  let planned: ReturnType<typeof compileFromRollup>;
  try {
    planned = compileFromRollup(model, query, { security, locate, ...(now ? { now } : {}) });
  } catch (e) {
    // Refused (bad query, 403, missing security context): the source must refuse it alike.
    const code = (e as { code?: string }).code;
    await expect(
      run(),
      `${opts.name}: the source answered what compileFromRollup refused`,
    ).rejects.toMatchObject({
      code,
    });
    return { refused: code! };
  }
  // Not eligible: the server would run the source query as usual; nothing to compare.
  if (!planned.rollup) return { reason: planned.reason };
  const want = await run();
  const { compiled } = planned;
  const [result, total] = await Promise.all([
    store.query(compiled.sql, compiled.params),
    compiled.total ? store.query(compiled.total.sql, compiled.total.params) : undefined,
  ]);
  const got = shapeRows(compiled.columns, result.rows);
  expect(compiled.annotation, opts.name).toEqual(want.annotation);
  expectSameRows(got, want.data, { name: opts.name, ordered: opts.ordered, measures: query.measures ?? [] });
  if (want.total !== undefined) expect(Number(total!.rows[0]!.total), opts.name).toBe(want.total);
  return { rollup: planned.rollup.id };
}
