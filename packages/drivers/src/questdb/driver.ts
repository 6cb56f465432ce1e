import { randomBytes } from 'node:crypto';
import type { ColumnInfo, ParamValue } from '@inlay/core';
import { InlayError } from '@inlay/core';
import type pg from 'pg';
import type { DriverOptions } from '../options.js';
import { clientInternals, PgWireDriver } from '../pg-wire/driver.js';
import { sendCancelRequest } from './cancel.js';
import { type QuestDBCredentials, questdbSettings } from './config.js';
import { classifyQuestDBMessage, questdbError } from './errors.js';
import { columnInfosOf, columnsSql, QUESTDB_SCHEMA, TABLES_SQL, tableNamesOf } from './introspect.js';
import { toQuestDBParams } from './types.js';

/** The login QuestDB gives its read-only user (`pg.readonly.user`, default `user`). */
const READ_ONLY_USER = 'user';
const CANCEL_REQUEST_TIMEOUT_MS = 1_000;

/**
 * QuestDB through its PostgreSQL wire protocol (node-postgres): a pool with its own type parsers,
 * a client-side timeout that cancels, and errors classified by message (SQLSTATE is always 00000).
 */
export class QuestDBDriver extends PgWireDriver {
  readonly dialect = 'questdb';
  private readonly endpoint: { host: string; port: number };
  private readonly user: string;

  constructor(credentials: QuestDBCredentials, options: DriverOptions = {}) {
    const settings = questdbSettings(credentials, options);
    super(settings, options);
    this.endpoint = settings.endpoint;
    this.user = settings.user;
    // A connection we cut mid-statement must not crash the process either (pg-pool removes its
    // own error listener while a client is checked out).
    this.pool.on('connect', (client) => client.on('error', () => {}));
  }

  protected override mapError(e: unknown): InlayError {
    return questdbError(e, this.secrets);
  }

  protected override toParams(params: readonly ParamValue[]): (string | boolean | null)[] {
    return toQuestDBParams(params);
  }

  /**
   * QuestDB ignores `statement_timeout`, so a statement is stopped from here: a cancel request
   * (PostgreSQL protocol, with the key the server gave at login), then the connection is cut —
   * QuestDB also abandons a query whose client went away. Cutting the socket rejects the pending
   * statement at once, so the caller never waits on a server that ignores the request.
   */
  protected override async stopStatement(client: pg.PoolClient): Promise<void> {
    const { processID, secretKey, connection } = clientInternals(client);
    if (processID !== null && secretKey !== null) {
      await sendCancelRequest(this.endpoint, processID, secretKey, CANCEL_REQUEST_TIMEOUT_MS);
    }
    connection?.stream?.destroy();
  }

  /**
   * With `readOnly` this refuses at once: QuestDB cannot make a session read-only, so the option
   * only guards this driver's own writes; real enforcement is QuestDB's read-only user.
   */
  override async execute(sql: string, params: readonly ParamValue[] = []): Promise<void> {
    if (this.options.readOnly) {
      throw new InlayError('DRIVER', 'QuestDB: this connection is read-only; execute() is refused.', {
        hint: 'Create the driver without `readOnly` to load data.',
      });
    }
    await this.run(sql, toQuestDBParams(params), { timeoutMs: this.options.defaultTimeoutMs });
  }

  /** QuestDB has one schema; asking still logs in, so a refused login fails here as on every call. */
  async schemas(): Promise<string[]> {
    await this.test();
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

  /**
   * QuestDB has no read-only session and nothing to ask whether a login may write. The
   * read-only user (`pg.readonly.user`, login `user` by default) is recognised by its name; for
   * any other login the only test is to try: create a table under a random name and drop it at
   * once. A read-only user or server refuses the CREATE ("Write permission denied") before
   * anything exists; otherwise the DROP removes it. (`DROP TABLE IF EXISTS` on a missing name
   * would be lighter but proves nothing: QuestDB checks the permission on an existing table only.)
   * Only if that DROP failed would a `__inlay_write_probe_*` table stay behind.
   */
  protected override async loginCanWrite(): Promise<boolean> {
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
}
