import type { ColumnInfo, ParamValue } from '@inlay/core';
import { InlayError } from '@inlay/core';
import { type ConnectionCause, driverError } from '../errors.js';
import type { DriverOptions } from '../options.js';
import { clientInternals, PgWireDriver, type RunningStatement } from '../pg-wire/driver.js';
import { loadPg } from '../pg-wire/load.js';
import { type PostgresCredentials, pgSettings } from './config.js';
import { CAN_WRITE_SQL, COLUMNS_SQL, SCHEMAS_SQL, TABLES_SQL } from './introspect.js';
import { TYPE_NAMES } from './types.js';

type PgValue = string | number | boolean | null;

const CONNECTION_HINTS: Partial<Record<ConnectionCause, string>> = {
  auth: 'PostgreSQL refused the login: check `user` and `password` (and pg_hba.conf on the server).',
  database: 'Check `database` (or the URL path): it must name an existing database on that server.',
  unreachable: 'Check `host` and `port` (5432 by default) and that PostgreSQL is running and reachable.',
};

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
export class PostgresDriver extends PgWireDriver {
  readonly dialect = 'postgres';
  private readonly knownTypeNames = new Map(TYPE_NAMES);

  constructor(credentials: PostgresCredentials, options: DriverOptions = {}) {
    super(pgSettings(credentials, options), options);
  }

  protected override mapError(e: unknown): InlayError {
    return driverError(e, 'PostgreSQL', this.secrets, CONNECTION_HINTS);
  }

  protected override toParams(params: readonly ParamValue[]): PgValue[] {
    return toPgParams(params);
  }

  /** Asks the server to cancel what the client's backend runs, from a separate connection. */
  protected override async stopStatement({ client }: RunningStatement): Promise<void> {
    const pid = clientInternals(client).processID;
    if (pid === null) return;
    const canceller = new (loadPg().Client)(this.config);
    canceller.on('error', () => {});
    try {
      await canceller.connect();
      await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
    } finally {
      await canceller.end().catch(() => {});
    }
  }

  /** Types outside the common set (enums, domains, extensions) are looked up once per driver. */
  protected override async typeNames(oids: number[]): Promise<ReadonlyMap<number, string>> {
    const missing = [...new Set(oids)].filter((o) => !this.knownTypeNames.has(o));
    if (!missing.length) return this.knownTypeNames;
    try {
      const r = await this.run('SELECT oid::int4 AS oid, typname FROM pg_type WHERE oid = ANY($1::oid[])', [
        missing,
      ]);
      for (const row of r.rows as { oid: number; typname: string }[])
        this.knownTypeNames.set(row.oid, row.typname);
    } catch {
      // Names are informative only; `oid:N` stands in.
    }
    return this.knownTypeNames;
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

  protected override async loginCanWrite(): Promise<boolean> {
    const r = await this.run(CAN_WRITE_SQL, []);
    return r.rows[0]?.can_write === true;
  }
}
