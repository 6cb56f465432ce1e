import { randomBytes } from 'node:crypto';
import type { ColumnInfo, Driver, ParamValue, QueryOptions, QueryResult, Row } from '@inlay/core';
import { InlayError } from '@inlay/core';
import pg from 'pg';
import { runCancellable, throwIfAborted, unwrap } from '../cancel.js';
import type { DriverOptions } from '../options.js';
import { TYPE_NAMES } from '../postgres/types.js';
import { sendCancelRequest } from './cancel.js';
import { type QuestDBCredentials, questdbSettings } from './config.js';
import { classifyQuestDBMessage, questdbError } from './errors.js';
import { columnInfosOf, columnsSql, QUESTDB_SCHEMA, TABLES_SQL, tableNamesOf } from './introspect.js';
import { toQuestDBParams } from './types.js';

/** The login QuestDB gives its read-only user (`pg.readonly.user`, default `user`). */
const READ_ONLY_USER = 'user';
const CANCEL_REQUEST_TIMEOUT_MS = 1_000;

/** What pg keeps about a connection's server side (not in its typings). */
interface PgClientInternals {
  processID: number | null;
  secretKey: number | null;
  connection?: { stream?: { destroy(): void } };
}

/**
 * QuestDB through its PostgreSQL wire protocol (node-postgres): a pool with its own type parsers,
 * a client-side timeout that cancels, and errors classified by message (SQLSTATE is always 00000).
 */
export class QuestDBDriver implements Driver {
  readonly dialect = 'questdb';
  private readonly pool: pg.Pool;
  private readonly endpoint: { host: string; port: number };
  private readonly user: string;
  private readonly secrets: string[];
  private readonly options: DriverOptions;
  private closed = false;

  constructor(credentials: QuestDBCredentials, options: DriverOptions = {}) {
    const { config, endpoint, user, secrets } = questdbSettings(credentials, options);
    this.endpoint = endpoint;
    this.user = user;
    this.secrets = secrets;
    this.options = options;
    this.pool = new pg.Pool(config);
    // An idle connection that dies must not crash the process; neither may one we cut mid-statement
    // (pg-pool removes its own listener while a client is checked out).
    this.pool.on('error', () => {});
    this.pool.on('connect', (client) => client.on('error', () => {}));
  }

  private fail = (e: unknown) => questdbError(e, this.secrets);

  private async connect(): Promise<pg.PoolClient> {
    if (this.closed) throw this.fail(new Error('driver is closed'));
    try {
      return await this.pool.connect();
    } catch (e) {
      throw this.fail(e);
    }
  }

  /** Runs one statement on a pooled connection; on timeout/abort cancels it and drops the connection. */
  private async run(sql: string, values: unknown[], options: QueryOptions = {}): Promise<pg.QueryResult> {
    if (sql.includes('\u0000')) throw this.fail(new Error('SQL text contains a NUL character (\\u0000).'));
    throwIfAborted(options.signal);
    const client = await this.connect();
    const work = client.query({ text: sql, values });
    const outcome = await runCancellable(work, () => this.stop(client), options);
    // A stopped connection is never reused: a late cancel must not hit the next statement.
    client.release(outcome.stopped ? true : undefined);
    const result = unwrap(outcome, this.fail);
    // Several statements without parameters (simple protocol) answer with one result each.
    return Array.isArray(result) ? (result[result.length - 1] as pg.QueryResult) : result;
  }

  /**
   * QuestDB ignores `statement_timeout`, so a statement is stopped from here: a cancel request
   * (PostgreSQL protocol, with the key the server gave at login), then the connection is cut —
   * QuestDB also abandons a query whose client went away. Cutting the socket rejects the pending
   * statement at once, so the caller never waits on a server that ignores the request.
   */
  private async stop(client: pg.PoolClient): Promise<void> {
    const { processID, secretKey, connection } = client as unknown as PgClientInternals;
    if (processID !== null && secretKey !== null) {
      await sendCancelRequest(this.endpoint, processID, secretKey, CANCEL_REQUEST_TIMEOUT_MS);
    }
    connection?.stream?.destroy();
  }

  async query(
    sql: string,
    params: readonly ParamValue[] = [],
    options: QueryOptions = {},
  ): Promise<QueryResult> {
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs;
    const result = await this.run(sql, toQuestDBParams(params), { ...options, timeoutMs });
    return {
      rows: result.rows as Row[],
      columns: (result.fields ?? []).map((f) => ({
        name: f.name,
        type: TYPE_NAMES.get(f.dataTypeID) ?? `oid:${f.dataTypeID}`,
      })),
    };
  }

  /**
   * With `readOnly` this refuses at once: QuestDB cannot make a session read-only, so the option
   * only guards this driver's own writes; real enforcement is QuestDB's read-only user.
   */
  async execute(sql: string, params: readonly ParamValue[] = []): Promise<void> {
    if (this.options.readOnly) {
      throw new InlayError('DRIVER', 'QuestDB: this connection is read-only; execute() is refused.', {
        hint: 'Create the driver without `readOnly` to load data.',
      });
    }
    await this.run(sql, toQuestDBParams(params), { timeoutMs: this.options.defaultTimeoutMs });
  }

  async schemas(): Promise<string[]> {
    return [QUESTDB_SCHEMA];
  }

  async tables(schema: string): Promise<string[]> {
    if (schema !== QUESTDB_SCHEMA && schema !== '') return [];
    const r = await this.run(TABLES_SQL, []);
    return tableNamesOf(r.rows);
  }

  async columns(tables: { schemaName: string; tableName: string }[]): Promise<ColumnInfo[]> {
    const out: ColumnInfo[] = [];
    const seen = new Set<string>();
    for (const { schemaName, tableName } of tables) {
      if ((schemaName !== QUESTDB_SCHEMA && schemaName !== '') || seen.has(tableName)) continue;
      seen.add(tableName);
      const r = await this.run(columnsSql(tableName), []);
      out.push(...columnInfosOf(tableName, r.rows));
    }
    return out;
  }

  async test(): Promise<void> {
    await this.run('SELECT 1 AS ok', []);
  }

  /**
   * QuestDB has no read-only session and nothing to ask whether a login may write. The
   * read-only user (`pg.readonly.user`, login `user` by default) is recognised by its name; for
   * any other login the only test is to try: create a table under a random name and drop it at
   * once. A read-only user or server refuses the CREATE ("Write permission denied") before
   * anything exists; otherwise the DROP removes it. (`DROP TABLE IF EXISTS` on a missing name
   * would be lighter but proves nothing: QuestDB checks the permission on an existing table only.)
   * Only if that DROP failed would a `__inlay_write_probe_*` table stay behind.
   */
  async canWrite(): Promise<boolean> {
    if (this.options.readOnly) return false;
    if (this.user === READ_ONLY_USER) return false;
    const probe = `"__inlay_write_probe_${randomBytes(8).toString('hex')}"`;
    try {
      await this.run(`CREATE TABLE ${probe} (x INT)`, []);
    } catch (e) {
      if (classifyQuestDBMessage(e instanceof Error ? e.message : String(e)) === 'readOnly') return false;
      throw e;
    }
    await this.run(`DROP TABLE ${probe}`, []);
    return true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
