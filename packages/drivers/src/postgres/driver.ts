import type { ColumnInfo, Driver, ParamValue, QueryOptions, QueryResult, Row } from '@inlay/core';
import { InlayError } from '@inlay/core';
import pg from 'pg';
import { runCancellable, throwIfAborted, unwrap } from '../cancel.js';
import { driverError } from '../errors.js';
import type { DriverOptions, PostgresCredentials } from '../options.js';
import { pgSettings } from './config.js';
import { CAN_WRITE_SQL, COLUMNS_SQL, SCHEMAS_SQL, TABLES_SQL } from './introspect.js';
import { TYPE_NAMES } from './types.js';

type PgValue = string | number | boolean | null;

/** Our parameters → what pg sends: text for everything, so PostgreSQL infers each `$n` from context. */
export function toPgParams(params: readonly ParamValue[]): PgValue[] {
  return params.map((p, i) => {
    if (p === null || typeof p === 'boolean') return p;
    if (typeof p === 'number' || typeof p === 'bigint') return String(p);
    const text = typeof p === 'string' ? p : p.utc;
    if (text.includes('\u0000')) {
      throw new InlayError(
        'DRIVER',
        `PostgreSQL: parameter $${i + 1} contains a NUL character (\\u0000), which text cannot hold.`,
        {
          hint: 'Remove NUL characters from the value.',
        },
      );
    }
    return text;
  });
}

/** PostgreSQL through node-postgres: a pool with its own type parsers, sessions in UTC. */
export class PostgresDriver implements Driver {
  readonly dialect = 'postgres';
  private readonly pool: pg.Pool;
  private readonly config: pg.PoolConfig;
  private readonly secrets: string[];
  private readonly options: DriverOptions;
  private readonly typeNames = new Map(TYPE_NAMES);
  private closed = false;

  constructor(credentials: PostgresCredentials, options: DriverOptions = {}) {
    const { config, secrets } = pgSettings(credentials, options);
    this.config = config;
    this.secrets = secrets;
    this.options = options;
    this.pool = new pg.Pool(config);
    // An idle connection that dies (server restart, terminated backend) must not crash the process.
    this.pool.on('error', () => {});
  }

  private fail = (e: unknown): InlayError => driverError(e, 'PostgreSQL', this.secrets);

  private async connect(): Promise<pg.PoolClient> {
    if (this.closed) throw this.fail(new Error('driver is closed'));
    try {
      return await this.pool.connect();
    } catch (e) {
      throw this.fail(e);
    }
  }

  /** Runs one statement on a pooled connection; on timeout/abort cancels it on the server. */
  private async run(sql: string, values: unknown[], options: QueryOptions = {}): Promise<pg.QueryResult> {
    if (sql.includes('\u0000')) throw this.fail(new Error('SQL text contains a NUL character (\\u0000).'));
    throwIfAborted(options.signal);
    const client = await this.connect();
    const pid = (client as unknown as { processID: number | null }).processID;
    const work = client.query({ text: sql, values });
    const outcome = await runCancellable(work, () => this.cancelBackend(pid), options);
    // After a cancel the connection is dropped: a late cancel signal must never hit the next statement.
    client.release(outcome.stopped ? true : undefined);
    const result = unwrap(outcome, this.fail);
    // Several statements without parameters (simple protocol) answer with one result each.
    return Array.isArray(result) ? (result[result.length - 1] as pg.QueryResult) : result;
  }

  /** Asks the server to cancel what backend `pid` runs, from a separate connection. */
  private async cancelBackend(pid: number | null): Promise<void> {
    if (pid === null) return;
    const client = new pg.Client(this.config);
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT pg_cancel_backend($1)', [pid]);
    } finally {
      await client.end().catch(() => {});
    }
  }

  async query(
    sql: string,
    params: readonly ParamValue[] = [],
    options: QueryOptions = {},
  ): Promise<QueryResult> {
    const values = toPgParams(params);
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs;
    const result = await this.run(sql, values, { ...options, timeoutMs });
    const fields = result.fields ?? [];
    await this.resolveTypeNames(fields.map((f) => f.dataTypeID));
    return {
      rows: result.rows as Row[],
      columns: fields.map((f) => ({
        name: f.name,
        type: this.typeNames.get(f.dataTypeID) ?? `oid:${f.dataTypeID}`,
      })),
    };
  }

  private async resolveTypeNames(oids: number[]): Promise<void> {
    const missing = [...new Set(oids)].filter((o) => !this.typeNames.has(o));
    if (!missing.length) return;
    try {
      const r = await this.run('SELECT oid::int4 AS oid, typname FROM pg_type WHERE oid = ANY($1::oid[])', [
        missing,
      ]);
      for (const row of r.rows as { oid: number; typname: string }[])
        this.typeNames.set(row.oid, row.typname);
    } catch {
      // Names are informative only; `oid:N` stands in.
    }
  }

  async execute(sql: string, params: readonly ParamValue[] = []): Promise<void> {
    await this.run(sql, toPgParams(params));
  }

  async schemas(): Promise<string[]> {
    const r = await this.run(SCHEMAS_SQL, []);
    return r.rows.map((row: { schema_name: string }) => row.schema_name);
  }

  async tables(schema: string): Promise<string[]> {
    const r = await this.run(TABLES_SQL, toPgParams([schema]));
    return r.rows.map((row: { table_name: string }) => row.table_name);
  }

  async columns(tables: { schemaName: string; tableName: string }[]): Promise<ColumnInfo[]> {
    if (tables.length === 0) return [];
    const r = await this.run(COLUMNS_SQL, [tables.map((t) => t.schemaName), tables.map((t) => t.tableName)]);
    return r.rows.map(
      (row: {
        schema_name: string;
        table_name: string;
        column_name: string;
        data_type: string;
        is_primary: boolean;
        foreign_keys: string;
      }) => ({
        schemaName: row.schema_name,
        tableName: row.table_name,
        columnName: row.column_name,
        dataType: row.data_type,
        attributes: row.is_primary ? ['primaryKey' as const] : [],
        foreignKeys: JSON.parse(row.foreign_keys) as ColumnInfo['foreignKeys'],
      }),
    );
  }

  async test(): Promise<void> {
    await this.run('SELECT 1 AS ok', []);
  }

  async canWrite(): Promise<boolean> {
    if (this.options.readOnly) return false;
    const r = await this.run(CAN_WRITE_SQL, []);
    return r.rows[0]?.can_write === true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
