import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { ParamValue, QueryOptions, QueryResult } from '@inlay/core';
import { DuckDBDriver } from '@inlay/drivers';
import type { RollupDef, RollupLocator } from '@inlay/engine';
import type { Store } from '../store/index.js';
import type { PartitionRecord } from '../store/repos/preaggs.js';
import { preaggsRoot, resolveFile } from './files.js';
import { errorMessage, type PreaggLogger, silentLogger } from './log.js';
import type { SourceLookups } from './sources.js';

export interface ReaderOptions {
  store: Store;
  dataDir: string;
  logger?: PreaggLogger;
  /** How often the manifest is read for builds made by other processes; default 5 s. */
  pollMs?: number;
  /** Connections of the in-memory DuckDB that answer queries; default 4. */
  poolSize?: number;
  /** Which connection each environment maps now: a table built from another one is not served. */
  sources: SourceLookups;
}

/** What a served rollup table holds: for L1 keys (`version`) and the answer's age (`builtAt`). */
export interface ServedRollup {
  table: string;
  /** Changes with every reload (a digest of the files it was loaded from). */
  version: string;
  /** The oldest partition's build time: the answer is at least this fresh. */
  builtAt: string;
  rows: number;
  /** The connection version (`name@updated_at`) every partition was built from. */
  source: string;
}

interface Served extends ServedRollup {
  /** The manifest files the table was loaded from, in partition order. */
  files: string;
  dataSource: string;
}

const groupKey = (workspaceId: string, environment: string, hash: string): string =>
  `${workspaceId}\0${environment}\0${hash}`;

/** A name of our own making for one (workspace, environment, rollup) table: never from a request. */
export const tableName = (workspaceId: string, environment: string, hash: string): string =>
  `r_${createHash('sha256')
    .update(groupKey(workspaceId, environment, hash), 'utf8')
    .digest('hex')
    .slice(0, 24)}`;

/**
 * The serving side of L2: one in-memory DuckDB per process holding a view per built rollup and
 * environment over the Parquet files the manifest names. A reload is one `CREATE OR REPLACE VIEW
 * … AS SELECT * FROM read_parquet([...])`, so a query sees the old files or the new ones, never a
 * mix; superseded files outlive the switch by the builder's grace period (minutes, against a poll
 * of seconds). A view, not a copied table: the rows stay in the Parquet files, read when a query
 * needs them, instead of a second copy held in memory from the start (issue 15: ~28 MB for the
 * demo's three rollups). A view serves only while every partition of the rollup is built from the
 * connection the environment maps now.
 */
export class RollupReader {
  private readonly served = new Map<string, Served>();
  private readonly root: string;
  private readonly log: PreaggLogger;
  private db: DuckDBDriver | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  /** Tables no longer served, dropped on the next pass so queries already planned on them finish. */
  private dropNext: string[] = [];
  private closed = false;

  constructor(private readonly options: ReaderOptions) {
    this.root = preaggsRoot(options.dataDir);
    this.log = options.logger ?? silentLogger;
  }

  /** Loads what is built now, then keeps polling (the timer never holds the process open). */
  async start(): Promise<void> {
    await this.refresh();
    if (this.closed || this.timer) return;
    this.timer = setInterval(() => {
      this.refresh().catch(() => {});
    }, this.options.pollMs ?? 5_000);
    this.timer.unref();
  }

  /** The rollup's table for this workspace and environment, when built; else undefined. */
  locate(workspaceId: string, environment: string, rollup: RollupDef): string | undefined {
    return this.describe(workspaceId, environment, rollup)?.table;
  }

  /** The served table with its version and age, when built; else undefined. */
  describe(workspaceId: string, environment: string, rollup: RollupDef): ServedRollup | undefined {
    const s = this.servedFor(workspaceId, environment, rollup);
    return s && { table: s.table, version: s.version, builtAt: s.builtAt, rows: s.rows, source: s.source };
  }

  /**
   * Whether `describe` would name this table, version and source now: an L1 repeat's check
   * (`RepeatHits`), made on every hit, so it makes nothing.
   */
  serves(
    workspaceId: string,
    environment: string,
    rollup: RollupDef,
    seen: { table: string; version: string; source: string },
  ): boolean {
    const s = this.servedFor(workspaceId, environment, rollup);
    return (
      s !== undefined && s.table === seen.table && s.version === seen.version && s.source === seen.source
    );
  }

  private servedFor(workspaceId: string, environment: string, rollup: RollupDef): Served | undefined {
    // A copy's member SQL would run on DuckDB, not the source: never an answer (nor loaded).
    if (rollup.type === 'original_sql') return undefined;
    const s = this.served.get(groupKey(workspaceId, environment, rollup.hash));
    return s && s.dataSource === rollup.dataSource ? s : undefined;
  }

  /** The engine's `RollupLocator` for one caller's workspace and environment. */
  locator(workspaceId: string, environment: string): RollupLocator {
    return (rollup) => this.locate(workspaceId, environment, rollup);
  }

  /** Runs compiled rollup SQL (DuckDB dialect, over tables `locate` named) with bound parameters. */
  query(sql: string, params: readonly ParamValue[], options?: QueryOptions): Promise<QueryResult> {
    return this.duck().query(sql, params, options);
  }

  /** What is loaded: for status pages and tests. */
  loaded(): { workspaceId: string; environment: string; hash: string; table: string; rows: number }[] {
    return [...this.served.entries()].map(([k, s]) => {
      const [workspaceId, environment, hash] = k.split('\0') as [string, string, string];
      return { workspaceId, environment, hash, table: s.table, rows: s.rows };
    });
  }

  /**
   * Reads the manifest and swaps in every table whose files changed. Calls during a pass make one
   * more pass after it (a build that committed meanwhile is seen), never a pile of them.
   */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<void> => {
      do {
        this.again = false;
        try {
          await this.pass();
        } catch (e) {
          this.log.warn({ err: errorMessage(e) }, 'pre-aggregation manifest refresh failed');
        }
      } while (this.again && !this.closed);
    };
    const p = run().finally(() => {
      if (this.running === p) this.running = undefined;
    });
    this.running = p;
    return p;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => {});
    this.served.clear();
    await this.db?.close();
    this.db = undefined;
  }

  private duck(): DuckDBDriver {
    if (this.closed) throw new Error('the rollup reader is closed');
    this.db ??= new DuckDBDriver({}, { poolSize: this.options.poolSize ?? 4 });
    return this.db;
  }

  private async pass(): Promise<void> {
    const drops = this.dropNext;
    this.dropNext = [];
    for (const table of drops) {
      if (![...this.served.values()].some((s) => s.table === table)) {
        await this.duck().execute(`DROP VIEW IF EXISTS "${table}"`);
      }
    }

    const groups = new Map<string, PartitionRecord[]>();
    for (const r of await this.options.store.preaggs.listPartitions()) {
      if (r.kind === 'original_sql') continue;
      const k = groupKey(r.workspaceId, r.environment, r.rollupHash);
      const g = groups.get(k);
      if (g) g.push(r);
      else groups.set(k, [r]);
    }
    const sourceOf = this.options.sources();

    for (const [k, rows] of groups) {
      if (this.closed) return;
      const first = rows[0]!;
      const current = await sourceOf(first.workspaceId, first.environment, first.dataSource);
      const served = this.served.get(k);
      // Tenant safety first: rows from a connection the environment no longer maps never serve.
      if (served && served.source !== current?.key) this.unserve(k);
      const complete = rows.every((r) => r.file && r.source === current?.key);
      if (!current || !complete) continue; // a partition is pending: the last full load keeps serving
      const gone = this.missingFile(rows);
      if (gone) {
        // A view reads its files on every query: with one gone (a data dir cleaned by hand) every
        // answer from it would fail, so the database answers instead until a build replaces it.
        if (served) {
          this.unserve(k);
          this.log.warn({ rollup: first.rollupId, file: gone }, 'pre-aggregation file missing');
        }
        continue;
      }
      const files = rows.map((r) => r.file!).join('\n');
      if (served && served.files === files && served.source === current.key) continue;
      await this.load(k, first, rows, current.key, files);
    }
    for (const k of this.served.keys()) if (!groups.has(k)) this.unserve(k);
  }

  private async load(
    k: string,
    first: PartitionRecord,
    rows: PartitionRecord[],
    source: string,
    files: string,
  ): Promise<void> {
    const table = tableName(first.workspaceId, first.environment, first.rollupHash);
    const paths = rows.map((r) => resolveFile(this.root, r.file!));
    const started = performance.now();
    try {
      // A view's definition cannot hold parameters; the paths are the data dir's and the names the
      // builder made, never a request's, and are quoted as SQL strings.
      const list = paths.map(sqlString).join(', ');
      await this.duck().execute(`CREATE OR REPLACE VIEW "${table}" AS SELECT * FROM read_parquet([${list}])`);
      const total = rows.reduce((n, r) => n + (r.rows ?? 0), 0);
      this.served.set(k, {
        table,
        files,
        source,
        dataSource: first.dataSource,
        rows: total,
        version: createHash('sha256').update(files, 'utf8').digest('hex').slice(0, 16),
        builtAt: rows.map((r) => r.builtAt ?? '').sort()[0] ?? '',
      });
      this.log.info(
        {
          workspaceId: first.workspaceId,
          environment: first.environment,
          rollup: first.rollupId,
          partitions: rows.length,
          rows: total,
          ms: Math.round(performance.now() - started),
        },
        'pre-aggregation loaded',
      );
    } catch (e) {
      // The previous load (if any, same source) keeps serving; the next pass tries again.
      this.log.warn(
        {
          workspaceId: first.workspaceId,
          environment: first.environment,
          rollup: first.rollupId,
          err: errorMessage(e),
        },
        'pre-aggregation load failed',
      );
    }
  }

  /** The first of the partitions' files that is not there (or not under the root), if any. */
  private missingFile(rows: PartitionRecord[]): string | undefined {
    for (const r of rows) {
      try {
        if (!existsSync(resolveFile(this.root, r.file!))) return r.file!;
      } catch {
        return r.file!;
      }
    }
    return undefined;
  }

  private unserve(k: string): void {
    const s = this.served.get(k);
    if (!s) return;
    this.served.delete(k);
    this.dropNext.push(s.table);
  }
}

const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;
