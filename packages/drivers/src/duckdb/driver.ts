import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnInfo, Driver, ParamValue, QueryOptions, QueryResult } from '@inlay/core';
import { runCancellable, throwIfAborted, unwrap } from '../cancel.js';
import { driverError } from '../errors.js';
import type { DriverOptions } from '../options.js';
import { toDuckDBParams, toQueryResult } from './convert.js';
import { acquireInstance, type InstanceHandle } from './instances.js';
import { introspectColumns, SCHEMAS_SQL, TABLES_SQL } from './introspect.js';
import { ConnectionPool } from './pool.js';
import { runPrepared } from './statements.js';

const DEFAULT_POOL_SIZE = 4;

/** DuckDB credentials: a database file, or an in-memory database when `path` is absent. */
export interface DuckDBCredentials {
  path?: string;
}

/** Embedded DuckDB: a file (shared per process, optionally read-only) or an in-memory database. */
export class DuckDBDriver implements Driver {
  readonly dialect = 'duckdb';
  private readonly path: string | undefined;
  private readonly options: DriverOptions;
  private opened: Promise<{ handle: InstanceHandle; pool: ConnectionPool }> | null = null;
  private closed = false;

  constructor(credentials: DuckDBCredentials = {}, options: DriverOptions = {}) {
    this.path = credentials.path;
    this.options = options;
  }

  private open(): Promise<{ handle: InstanceHandle; pool: ConnectionPool }> {
    if (this.closed) return Promise.reject(driverError(new Error('driver is closed'), 'DuckDB'));
    if (!this.opened) {
      this.opened = acquireInstance(this.path, this.options.readOnly === true).then((handle) => ({
        handle,
        pool: new ConnectionPool(
          handle.instance,
          Math.max(1, this.options.poolSize ?? DEFAULT_POOL_SIZE),
          (c) => setUpConnection(c),
        ),
      }));
      this.opened.catch(() => {
        this.opened = null;
      });
    }
    return this.opened;
  }

  private async withConnection<T>(
    run: (c: DuckDBConnection) => Promise<T>,
    options: QueryOptions = {},
  ): Promise<T> {
    throwIfAborted(options.signal);
    const { pool } = await this.open();
    let c: DuckDBConnection;
    try {
      c = await pool.acquire();
    } catch (e) {
      throw driverError(e, 'DuckDB');
    }
    const outcome = await runCancellable(run(c), () => c.interrupt(), options);
    // An interrupted connection is not reused; one that never returned is left to finish alone.
    pool.release(c, outcome.stopped !== null, !outcome.settled);
    return unwrap(outcome, (e) => driverError(e, 'DuckDB'));
  }

  async query(
    sql: string,
    params: readonly ParamValue[] = [],
    options: QueryOptions = {},
  ): Promise<QueryResult> {
    const { values, types } = toDuckDBParams(params);
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs;
    // A read-only file's catalog never changes under a kept statement: those reuse their plans.
    const reuse = this.options.readOnly === true;
    return this.withConnection<QueryResult>(
      async (c) => {
        const result =
          values.length === 0
            ? await c.run(sql)
            : reuse
              ? await runPrepared(c, sql, values, types)
              : await c.run(sql, values, types);
        return toQueryResult(result);
      },
      { ...options, timeoutMs },
    );
  }

  async execute(sql: string, params: readonly ParamValue[] = []): Promise<void> {
    const { values, types } = toDuckDBParams(params);
    await this.withConnection(async (c) => {
      await (values.length ? c.run(sql, values, types) : c.run(sql));
    });
  }

  async schemas(): Promise<string[]> {
    const { rows } = await this.query(SCHEMAS_SQL, []);
    return rows.map((r) => String(r.schema_name));
  }

  async tables(schema: string): Promise<string[]> {
    const { rows } = await this.query(TABLES_SQL, [schema]);
    return rows.map((r) => String(r.table_name));
  }

  async columns(tables: { schemaName: string; tableName: string }[]): Promise<ColumnInfo[]> {
    if (tables.length === 0) return [];
    return introspectColumns((sql, params) => this.query(sql, params), tables);
  }

  async test(): Promise<void> {
    await this.query('SELECT 1 AS ok', []);
  }

  async canWrite(): Promise<boolean> {
    if (this.options.readOnly) return false;
    await this.test();
    return true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const opened = this.opened;
    this.opened = null;
    if (!opened) return;
    try {
      const { handle, pool } = await opened;
      pool.close();
      handle.release();
    } catch {
      // It never opened: nothing to close.
    }
  }
}

async function setUpConnection(c: DuckDBConnection): Promise<void> {
  // Naive timestamps and TIMESTAMPTZ arithmetic are both read in UTC, whatever the host's zone.
  await c.run("SET TimeZone = 'UTC'");
}
