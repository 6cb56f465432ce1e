import { randomBytes } from 'node:crypto';
import { mkdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type DuckDBAppender, DuckDBInstance } from '@duckdb/node-api';
import type { CellValue, Row } from '@inlay/core';
import { duckdbResourceSettings } from '@inlay/drivers';
import type { RollupColumn } from '@inlay/engine';

/** A Parquet column: a rollup's (named by the engine), or one an original_sql copy's result has. */
export interface ParquetColumn {
  name: string;
  duckdbType: RollupColumn['duckdbType'] | 'DATE';
}

/** Rows appended between yields to the event loop, so a big build never stalls the server's requests. */
const YIELD_EVERY = 5_000;

/**
 * Writes `rows` (as a source driver returned them) into a Parquet file with the given column
 * types, atomically: a temp name in the same folder, then a rename. An in-memory DuckDB of its
 * own per file and the appender (measured ~30× faster than batched bound INSERTs: 50 000 rows in
 * ~0.15 s against ~5 s).
 */
export async function writeParquet(path: string, columns: ParquetColumn[], rows: Row[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  const instance = await DuckDBInstance.create(':memory:', {
    ...duckdbResourceSettings(),
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const c = await instance.connect();
  try {
    const ddl = columns.map((col) => `${quoteName(col.name)} ${col.duckdbType}`).join(', ');
    await c.run(`CREATE TABLE t (${ddl})`);
    const appender = await c.createAppender('t');
    try {
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        for (const col of columns) append(appender, col, row[col.name] ?? null, i);
        appender.endRow();
        if ((i + 1) % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    await c.run(`COPY t TO $1 (FORMAT parquet, COMPRESSION zstd)`, [tmp]);
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

/**
 * Rollup columns are [a-z0-9_]+, but a copy keeps the cube SQL's own names (member SQL reads
 * them), so any name is quoted; a control character has no business in one.
 */
function quoteName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is what it looks for
  if (name === '' || /[\u0000-\u001f]/.test(name))
    throw new Error(`column name ${JSON.stringify(name)} is not usable`);
  return `"${name.replaceAll('"', '""')}"`;
}

function append(a: DuckDBAppender, col: ParquetColumn, v: CellValue, rowIndex: number): void {
  if (v === null || v === undefined) {
    a.appendNull();
    return;
  }
  const bad = (): Error =>
    new Error(
      `row ${rowIndex + 1}: column ${col.name} (${col.duckdbType}) cannot hold ${typeof v} ${String(v)}`,
    );
  switch (col.duckdbType) {
    case 'VARCHAR':
      a.appendVarchar(String(v));
      return;
    case 'DOUBLE': {
      const n = Number(v);
      if (Number.isNaN(n) && !(typeof v === 'string' && v.toLowerCase() === 'nan')) throw bad();
      a.appendDouble(n);
      return;
    }
    case 'BIGINT':
    case 'HUGEINT': {
      let big: bigint;
      try {
        big = typeof v === 'bigint' ? v : BigInt(typeof v === 'boolean' ? Number(v) : v);
      } catch {
        throw bad();
      }
      if (col.duckdbType === 'BIGINT') a.appendBigInt(big);
      else a.appendHugeInt(big);
      return;
    }
    case 'BOOLEAN':
      if (typeof v === 'boolean') a.appendBoolean(v);
      else if (v === 1 || v === 't' || v === 'true') a.appendBoolean(true);
      else if (v === 0 || v === 'f' || v === 'false') a.appendBoolean(false);
      else throw bad();
      return;
    case 'TIMESTAMP':
    case 'DATE':
      // Drivers hand timestamps over as naive UTC text and dates as YYYY-MM-DD; DuckDB parses them on append.
      if (typeof v !== 'string') throw bad();
      a.appendVarchar(v);
      return;
    default:
      throw new Error(`unsupported rollup column type ${String(col.duckdbType)}`);
  }
}
