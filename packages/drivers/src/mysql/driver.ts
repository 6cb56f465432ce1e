import { createRequire } from 'node:module';
import type { ColumnInfo, Driver, ParamValue, QueryOptions, QueryResult, Row } from '@inlay/core';
import { InlayError } from '@inlay/core';
import type mysql from 'mysql2/promise';
import { runCancellable, throwIfAborted, unwrap } from '../cancel.js';
import type { DriverOptions } from '../options.js';
import { type MySQLCredentials, type MySQLSettings, mysqlSettings } from './config.js';
import { mysqlError } from './errors.js';
import {
  CAN_WRITE_SQL,
  columnsSql,
  keysSql,
  SCHEMAS_SQL,
  TABLES_SQL,
  ZONES_LOADED_SQL,
} from './introspect.js';
import { toCell, toMySQLParams, typeName } from './values.js';

/**
 * Every session reads and writes DATETIME in UTC, concatenates with `||` like the other
 * databases, and keeps 30 decimals in divisions and averages (MySQL's default 4 would differ
 * from PostgreSQL and DuckDB in the 5th digit).
 */
const SESSION_SQL = `SET SESSION time_zone = '+00:00',
  sql_mode = CONCAT_WS(',', NULLIF(@@sql_mode, ''), 'PIPES_AS_CONCAT'),
  div_precision_increment = 30`;

const TZ_HINT =
  'Load them on the server: mysql_tzinfo_to_sql /usr/share/zoneinfo | mariadb -u root mysql ' +
  '(MySQL: mysql -u root mysql), then retry. See packages/drivers/src/mysql/README.md.';

/** mysql2 (~17 MB) loads with the first MySQL driver, not with every process; CommonJS, so synchronously. */
const loadMysql = () => createRequire(import.meta.url)('mysql2/promise') as typeof mysql;

type Values = (string | number | boolean | null)[];
type Fields = { name: string; columnType?: number }[];

/** MySQL and MariaDB through mysql2: a pool of UTC sessions, prepared statements for bound values. */
export class MySQLDriver implements Driver {
  readonly dialect = 'mysql';
  private readonly settings: MySQLSettings;
  private readonly options: DriverOptions;
  private readonly pool: mysql.Pool;
  /** Core connections whose session settings are in place (the pool reuses them). */
  private readonly ready = new WeakSet<object>();
  private zonesLoaded = false;
  private closed = false;

  constructor(credentials: MySQLCredentials, options: DriverOptions = {}) {
    this.settings = mysqlSettings(credentials, options);
    this.options = options;
    this.pool = loadMysql().createPool({
      ...this.settings.connection,
      connectionLimit: this.settings.poolSize,
      maxIdle: this.settings.poolSize,
      idleTimeout: 30_000,
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      decimalNumbers: false,
      jsonStrings: true,
      // Each connection keeps its prepared statements; the server caps them for all sessions.
      maxPreparedStatements: 64,
    });
    // An idle connection that dies (server restart, KILL) must not crash the process.
    this.pool.on('connection', (c) => c.on('error', () => {}));
  }

  private readonly fail = (e: unknown): InlayError => mysqlError(e, this.settings.secrets);

  private async acquire(): Promise<mysql.PoolConnection> {
    if (this.closed) throw this.fail(new Error('driver is closed'));
    let conn: mysql.PoolConnection;
    try {
      conn = await this.pool.getConnection();
    } catch (e) {
      throw this.fail(e);
    }
    if (this.ready.has(conn.connection)) return conn;
    try {
      await conn.query(SESSION_SQL);
      // Per session, so that no statement of this driver can write (MySQL error 1792).
      if (this.settings.readOnly) await conn.query('SET SESSION TRANSACTION READ ONLY');
      this.ready.add(conn.connection);
      return conn;
    } catch (e) {
      conn.destroy();
      throw this.fail(e);
    }
  }

  /** Stops what connection `threadId` runs, from a separate connection (the server's KILL QUERY). */
  private async kill(threadId: number | null): Promise<void> {
    if (threadId === null || !Number.isSafeInteger(threadId)) return;
    const killer = await loadMysql().createConnection(this.settings.connection);
    killer.on('error', () => {});
    try {
      await killer.query(`KILL QUERY ${threadId}`);
    } finally {
      await killer.end().catch(() => killer.destroy());
    }
  }

  /** One statement on a pooled session; on timeout/abort KILL QUERY, then the session is dropped. */
  private async run(sql: string, values: Values, options: QueryOptions = {}): Promise<[unknown, Fields]> {
    throwIfAborted(options.signal);
    const conn = await this.acquire();
    // Prepared statements bind values on the server; a statement without any runs as plain text
    // (some, such as KILL or LOAD DATA, cannot be prepared).
    const work = (values.length ? conn.execute(sql, values) : conn.query(sql)) as Promise<[unknown, unknown]>;
    const outcome = await runCancellable(work, () => this.kill(conn.connection.threadId), options);
    if (outcome.stopped) conn.destroy();
    else conn.release();
    const [rows, fields] = unwrap(outcome, this.fail);
    return [rows, (fields ?? []) as Fields];
  }

  /** CONVERT_TZ answers NULL for every named zone while the server's zone tables are empty. */
  private async requireZones(): Promise<void> {
    if (this.zonesLoaded) return;
    const [rows] = await this.run(ZONES_LOADED_SQL, []);
    if (Number((rows as { ok: unknown }[])[0]?.ok) !== 1) {
      throw new InlayError(
        'CONFIG',
        'MySQL: the server has no time zone tables, so it cannot convert to a named zone.',
        {
          hint: TZ_HINT,
        },
      );
    }
    this.zonesLoaded = true;
  }

  async query(
    sql: string,
    params: readonly ParamValue[] = [],
    options: QueryOptions = {},
  ): Promise<QueryResult> {
    const values = toMySQLParams(params);
    if (sql.includes('CONVERT_TZ(')) await this.requireZones();
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs;
    const [result, fields] = await this.run(sql, values, { ...options, timeoutMs });
    if (!Array.isArray(result)) return { rows: [], columns: [] };
    const rows = (result as Record<string, unknown>[]).map((r) => {
      const row: Row = {};
      for (const f of fields) row[f.name] = toCell(r[f.name], f.columnType);
      return row;
    });
    return { rows, columns: fields.map((f) => ({ name: f.name, type: typeName(f.columnType) })) };
  }

  async execute(sql: string, params: readonly ParamValue[] = []): Promise<void> {
    await this.run(sql, toMySQLParams(params));
  }

  /** One text column of a catalog query. */
  private async names(sql: string, params: ParamValue[], column: string): Promise<string[]> {
    const { rows } = await this.query(sql, params);
    return rows.map((r) => String(r[column]));
  }

  schemas(): Promise<string[]> {
    return this.names(SCHEMAS_SQL, [], 'schema_name');
  }

  tables(schema: string): Promise<string[]> {
    return this.names(TABLES_SQL, [schema], 'table_name');
  }

  async columns(tables: { schemaName: string; tableName: string }[]): Promise<ColumnInfo[]> {
    if (tables.length === 0) return [];
    const pairs = tables.flatMap((t) => [t.schemaName, t.tableName]);
    const [cols, keys] = await Promise.all([
      this.query(columnsSql(tables.length), pairs),
      this.query(keysSql(tables.length), pairs),
    ]);
    const byColumn = new Map<string, ColumnInfo>();
    const out = cols.rows.map((r) => {
      const info: ColumnInfo = {
        schemaName: String(r.schema_name),
        tableName: String(r.table_name),
        columnName: String(r.column_name),
        dataType: String(r.data_type),
        attributes: [],
        foreignKeys: [],
      };
      byColumn.set(JSON.stringify([info.schemaName, info.tableName, info.columnName]), info);
      return info;
    });
    for (const k of keys.rows) {
      const info = byColumn.get(JSON.stringify([k.schema_name, k.table_name, k.column_name]));
      if (!info) continue;
      if (k.constraint_name === 'PRIMARY') info.attributes = ['primaryKey'];
      else if (k.target_table !== null) {
        const sameSchema = k.target_schema === k.schema_name;
        info.foreignKeys.push({
          targetTable: sameSchema ? String(k.target_table) : `${k.target_schema}.${k.target_table}`,
          targetColumn: String(k.target_column),
        });
      }
    }
    return out;
  }

  async test(): Promise<void> {
    await this.run('SELECT 1 AS ok', []);
  }

  async canWrite(): Promise<boolean> {
    if (this.settings.readOnly) return false;
    const { rows } = await this.query(CAN_WRITE_SQL, []);
    return Number(rows[0]?.can_write) === 1;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
