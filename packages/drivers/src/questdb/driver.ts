import { randomBytes } from 'node:crypto';
import type { ColumnInfo, ParamValue } from '@inlay/core';
import { InlayError } from '@inlay/core';
import type pg from 'pg';
import type { DriverOptions } from '../options.js';
import { clientInternals, PgWireDriver, type RunningStatement } from '../pg-wire/driver.js';
import { cancelByMarker, markerComment, newStatementMarker, sendCancelRequest } from './cancel.js';
import { type QuestDBCredentials, questdbSettings } from './config.js';
import { classifyQuestDBMessage, questdbError } from './errors.js';
import { columnInfosOf, columnsSql, QUESTDB_SCHEMA, TABLES_SQL, tableNamesOf } from './introspect.js';
import { toQuestDBParams } from './types.js';

/** The login QuestDB gives its read-only user (`pg.readonly.user`, default `user`). */
const READ_ONLY_USER = 'user';
/** Bounds on each step of stopping a statement, so the caller hears TIMEOUT/CANCELLED soon. */
const CANCEL_REQUEST_TIMEOUT_MS = 500;
const CONFIRM_STOP_MS = 300;
const CANCEL_BY_MARKER_TIMEOUT_MS = 1_000;

/**
 * QuestDB through its PostgreSQL wire protocol (node-postgres): a pool with its own type parsers,
 * a client-side timeout that cancels, and errors classified by message (SQLSTATE is always 00000).
 */
export class QuestDBDriver extends PgWireDriver {
  readonly dialect = 'questdb';
  private readonly endpoint: { host: string; port: number };
  private readonly user: string;
  /** Each pooled connection's marker, put after every statement it runs. */
  private readonly markers = new WeakMap<pg.Client, string>();

  constructor(credentials: QuestDBCredentials, options: DriverOptions = {}) {
    const settings = questdbSettings(credentials, options);
    super(settings, options);
    this.endpoint = settings.endpoint;
    this.user = settings.user;
    // A connection we cut mid-statement must not crash the process either (pg-pool removes its
    // own error listener while a client is checked out).
    this.pool.on('connect', (client) => {
      client.on('error', () => {});
      this.markers.set(client, newStatementMarker());
    });
  }

  protected override mapError(e: unknown): InlayError {
    return questdbError(e, this.secrets);
  }

  protected override statementText(client: pg.PoolClient, sql: string): string {
    const marker = this.markers.get(client);
    return marker ? sql + markerComment(marker) : sql;
  }

  protected override toParams(params: readonly ParamValue[]): (string | boolean | null)[] {
    return toQuestDBParams(params);
  }

  /**
   * QuestDB ignores `statement_timeout`, so a statement is stopped from here. First a cancel
   * request (PostgreSQL protocol, with the key the server gave at login), which QuestDB honours:
   * the statement then fails with "cancelled by user". If it has not within a moment, the
   * statement is looked up by its connection's marker in `query_activity()` and stopped with
   * `CANCEL QUERY <id>` from a separate connection. Last the socket is cut: QuestDB also stops a
   * statement whose client has gone, and the caller never waits on a server that does not answer.
   * A QuestDB whose PostgreSQL workers are all busy running statements reads no new connection,
   * so when the cancel request goes unread the lookup is skipped and the socket cut at once.
   * (QuestDB stops a statement only where its plan checks for cancellation; a plan that never
   * checks runs to its end whatever a client does.)
   */
  protected override async stopStatement({ client, settled }: RunningStatement): Promise<void> {
    const { processID, secretKey, connection } = clientInternals(client);
    try {
      if (processID === null || secretKey === null) return;
      const read = await sendCancelRequest(this.endpoint, processID, secretKey, CANCEL_REQUEST_TIMEOUT_MS);
      if (!read || (await settlesWithin(settled, CONFIRM_STOP_MS))) return;
      const marker = this.markers.get(client);
      if (marker) await cancelByMarker(this.config, marker, CANCEL_BY_MARKER_TIMEOUT_MS);
    } finally {
      connection?.stream?.destroy();
    }
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

/** Whether `settled` resolves within `ms`. */
async function settlesWithin(settled: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([settled.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
