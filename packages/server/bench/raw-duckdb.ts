/**
 * DuckDB's own time for a compiled query, without Inlay's driver: `@duckdb/node-api` as any client
 * would use it on the same file with the same resource settings. The statement is prepared once
 * per SQL text (as the server's driver keeps it), then each run binds, executes and reads every
 * chunk's values into JavaScript. What this leaves out is the driver's own work: its pool, the
 * timeout and cancellation around a run, and turning values into row objects.
 */
import {
  DOUBLE,
  DuckDBInstance,
  type DuckDBPreparedStatement,
  type DuckDBType,
  type DuckDBValue,
  INTEGER,
  VARCHAR,
} from '@duckdb/node-api';
import { duckdbResourceSettings } from '@inlay/drivers';

/** A parameter as `/api/v1/sql` prints it. */
type SqlParam = number | string | { kind: string; utc: string };

export interface RawDuckDB {
  /** Milliseconds from binding to the last value read, and the number of rows. */
  run(sql: string, params: readonly SqlParam[]): Promise<{ ms: number; rows: number }>;
  close(): void;
}

/** The benchmark's queries bind integers, decimals, text and timestamps; anything else is a bug here. */
function bound(params: readonly SqlParam[]): { values: DuckDBValue[]; types: DuckDBType[] } {
  const values: DuckDBValue[] = [];
  const types: DuckDBType[] = [];
  for (const p of params) {
    if (typeof p === 'number') {
      values.push(p);
      types.push(Number.isInteger(p) && Math.abs(p) <= 2_147_483_647 ? INTEGER : DOUBLE);
    } else if (typeof p === 'string') {
      values.push(p);
      types.push(VARCHAR);
    } else if (p && typeof p.utc === 'string') {
      values.push(p.utc);
      types.push(VARCHAR);
    } else throw new Error(`raw DuckDB timing: unexpected parameter ${JSON.stringify(p)}`);
  }
  return { values, types };
}

export async function openRawDuckDB(path: string): Promise<RawDuckDB> {
  const instance = await DuckDBInstance.create(path, {
    ...duckdbResourceSettings(),
    access_mode: 'READ_ONLY',
  });
  const connection = await instance.connect();
  // As the server's connections read timestamps.
  await connection.run("SET TimeZone = 'UTC'");
  const statements = new Map<string, DuckDBPreparedStatement>();
  return {
    async run(sql, params) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = await connection.prepare(sql);
        statements.set(sql, statement);
      }
      const { values, types } = bound(params);
      const t0 = performance.now();
      statement.clearBindings();
      statement.bind(values, types);
      const result = await statement.run();
      let rows = 0;
      for (let i = 0, n = result.chunkCount; i < n; i++) rows += result.getChunk(i).getRows().length;
      return { ms: performance.now() - t0, rows };
    },
    close() {
      for (const s of statements.values()) s.destroySync();
      connection.closeSync();
      instance.closeSync();
    },
  };
}
