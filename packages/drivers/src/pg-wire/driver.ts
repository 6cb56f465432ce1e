import type { ColumnInfo, Driver, InlayError, ParamValue, QueryOptions, QueryResult, Row } from '@inlay/core';
import type pg from 'pg';
import { runCancellable, throwIfAborted, unwrap } from '../cancel.js';
import type { DriverOptions } from '../options.js';
import { TYPE_NAMES } from '../postgres/types.js';
import { loadPg } from './load.js';

/** What pg keeps about a connection's server side (not in its typings). */
export interface PgClientInternals {
  processID: number | null;
  secretKey: number | null;
  connection?: { stream?: { destroy(): void } };
}

export function clientInternals(client: pg.Client): PgClientInternals {
  return client as unknown as PgClientInternals;
}

/** A statement being stopped: its connection, and a promise that settles (never rejects) with it. */
export interface RunningStatement {
  client: pg.PoolClient;
  settled: Promise<void>;
}

/** A pool configuration and the strings that must never appear in an error message. */
export interface PgWireSettings {
  config: pg.PoolConfig;
  secrets: string[];
}

/**
 * The part of a driver that only depends on the PostgreSQL wire protocol and node-postgres, so
 * PostgreSQL and QuestDB behave alike wherever their servers do. The hooks are where the servers
 * differ: how a running statement is stopped, how errors read, how parameters and type names map,
 * introspection, and whether the login may write.
 */
export abstract class PgWireDriver implements Driver {
  abstract readonly dialect: string;
  protected readonly config: pg.PoolConfig;
  protected readonly secrets: string[];
  protected readonly options: DriverOptions;
  protected readonly pool: pg.Pool;
  private closed = false;

  protected constructor(settings: PgWireSettings, options: DriverOptions) {
    this.config = settings.config;
    this.secrets = settings.secrets;
    this.options = options;
    this.pool = new (loadPg().Pool)(settings.config);
    // An idle connection that dies (server restart, terminated backend) must not crash the process.
    this.pool.on('error', () => {});
  }

  /** Any client error → the InlayError callers see (never with a secret in it). */
  protected abstract mapError(e: unknown): InlayError;

  /**
   * Stops the running statement on the server, called on timeout or abort. It may leave the
   * connection unusable: a stopped connection is discarded, never returned to the pool.
   */
  protected abstract stopStatement(statement: RunningStatement): Promise<void>;

  /** The text sent for `sql` on `client` (QuestDB tags it so that another connection can find it). */
  protected statementText(_client: pg.PoolClient, sql: string): string {
    return sql;
  }

  protected abstract toParams(params: readonly ParamValue[]): unknown[];

  /** Whether the login may write; only asked when the driver itself is not `readOnly`. */
  protected abstract loginCanWrite(): Promise<boolean>;

  /** Names for the result's column type OIDs; an OID left out shows as `oid:N`. */
  protected async typeNames(_oids: number[]): Promise<ReadonlyMap<number, string>> {
    return TYPE_NAMES;
  }

  abstract schemas(): Promise<string[]>;
  abstract tables(schema: string): Promise<string[]>;
  abstract columns(tables: { schemaName: string; tableName: string }[]): Promise<ColumnInfo[]>;

  protected readonly fail = (e: unknown): InlayError => this.mapError(e);

  private async connect(): Promise<pg.PoolClient> {
    if (this.closed) throw this.fail(new Error('driver is closed'));
    try {
      return await this.pool.connect();
    } catch (e) {
      throw this.fail(e);
    }
  }

  /** Runs one statement on a pooled connection; on timeout/abort stops it and drops the connection. */
  protected async run(sql: string, values: unknown[], options: QueryOptions = {}): Promise<pg.QueryResult> {
    if (sql.includes('\u0000')) throw this.fail(new Error('SQL text contains a NUL character (\\u0000).'));
    throwIfAborted(options.signal);
    const client = await this.connect();
    const work = client.query({ text: this.statementText(client, sql), values });
    const settled = work.then(
      () => {},
      () => {},
    );
    const outcome = await runCancellable(work, () => this.stopStatement({ client, settled }), options);
    // A stopped connection is never reused: a late cancel must not hit the next statement.
    client.release(outcome.stopped ? true : undefined);
    const result = unwrap(outcome, this.fail);
    // Several statements without parameters (simple protocol) answer with one result each.
    return Array.isArray(result) ? (result[result.length - 1] as pg.QueryResult) : result;
  }

  async query(
    sql: string,
    params: readonly ParamValue[] = [],
    options: QueryOptions = {},
  ): Promise<QueryResult> {
    const values = this.toParams(params);
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs;
    const result = await this.run(sql, values, { ...options, timeoutMs });
    const fields = result.fields ?? [];
    const names = await this.typeNames(fields.map((f) => f.dataTypeID));
    return {
      rows: result.rows as Row[],
      columns: fields.map((f) => ({ name: f.name, type: names.get(f.dataTypeID) ?? `oid:${f.dataTypeID}` })),
    };
  }

  async execute(sql: string, params: readonly ParamValue[] = []): Promise<void> {
    await this.run(sql, this.toParams(params));
  }

  async test(): Promise<void> {
    await this.run('SELECT 1 AS ok', []);
  }

  async canWrite(): Promise<boolean> {
    if (this.options.readOnly) return false;
    return this.loginCanWrite();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
