import { randomBytes } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { RollupPartition } from '@inlay/engine';
import type { Store } from '../store/index.js';
import { LeaseLostError, type PartitionRecord, type RollupKey } from '../store/repos/preaggs.js';
import { type PartitionSource, partitionSource, type SourceTarget } from './build-source.js';
import { markSuperseded, partitionFile, preaggsRoot, resolveFile, rollupDir, sweepDir } from './files.js';
import { acquireLease, leaseKey } from './lease.js';
import { errorMessage, type PreaggLogger, silentLogger } from './log.js';
import { writeParquet } from './parquet.js';

/** One rollup to build for one environment, with the driver and source that environment maps. */
export type BuildTarget = SourceTarget;

export interface BuilderOptions {
  store: Store;
  dataDir: string;
  logger?: PreaggLogger;
  /** Milliseconds since the epoch; tests move it to make refreshes due. */
  now?: () => number;
  /** Who holds leases taken by this builder; unique per process by default. */
  holder?: string;
  /** Lease time to live, renewed every third of it while building; default 60 s. */
  leaseMs?: number;
  /** How long an unreferenced file stays (replicas may still be loading it); default 5 min. */
  graceMs?: number;
  /** Per source statement (range, refresh key, partition); default 10 min. */
  buildTimeoutMs?: number;
  /** Called after a build changed the manifest (the local reader reloads at once). */
  onCommitted?: () => void;
}

export type PartitionStatus = 'built' | 'fresh' | 'busy' | 'failed' | 'lost';

export interface PartitionOutcome {
  partition: string;
  status: PartitionStatus;
  /** Why it was (re)built: never built, forced, refresh_key changed, every elapsed, connection changed. */
  reason?: string;
  rows?: number;
  /** Source query, Parquet write, and the whole partition (lease to commit). */
  queryMs?: number;
  writeMs?: number;
  ms?: number;
  error?: string;
}

export interface RollupBuildReport {
  workspaceId: string;
  environment: string;
  rollupId: string;
  hash: string;
  partitions: PartitionOutcome[];
  ms: number;
  /** A failure before any partition (range or refresh-key query): nothing was rebuilt. */
  error?: string;
}

export interface DueContext {
  source: string;
  /** Whether the refresh value (rather than `every`) decides, and what its change is called. */
  refreshSql: boolean;
  refreshChanged?: string;
  refreshValue: string | undefined;
  refreshEveryMs: number;
  now: number;
  force?: boolean;
}

/** Why a partition needs building now, or undefined when what is built is still fresh. */
export function dueReason(row: PartitionRecord | undefined, ctx: DueContext): string | undefined {
  if (ctx.force) return 'forced';
  if (!row?.file || !row.builtAt) return 'never built';
  if (row.source !== ctx.source) return 'connection changed';
  // With refresh_key.sql, `every` is how often the value is checked, not a reason to rebuild.
  if (ctx.refreshSql) {
    return row.refreshValue === ctx.refreshValue ? undefined : (ctx.refreshChanged ?? 'refresh_key changed');
  }
  return Date.parse(row.builtAt) + ctx.refreshEveryMs <= ctx.now ? 'every elapsed' : undefined;
}

/**
 * Builds rollup partitions from the source database into Parquet files and records them in the
 * manifest. Failures are recorded per partition and logged; they never throw out of `build`, and
 * a failed rebuild leaves the previous generation serving.
 */
export class RollupBuilder {
  readonly holder: string;
  private readonly now: () => number;
  private readonly log: PreaggLogger;
  private readonly leaseMs: number;
  private readonly graceMs: number;
  private readonly timeoutMs: number;
  private readonly root: string;

  constructor(private readonly options: BuilderOptions) {
    this.holder = options.holder ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.now = options.now ?? Date.now;
    this.log = options.logger ?? silentLogger;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.graceMs = options.graceMs ?? 5 * 60_000;
    this.timeoutMs = options.buildTimeoutMs ?? 10 * 60_000;
    this.root = preaggsRoot(options.dataDir);
  }

  async build(target: BuildTarget, opts: { force?: boolean } = {}): Promise<RollupBuildReport> {
    const started = performance.now();
    const { rollup } = target;
    const key: RollupKey = {
      workspaceId: target.workspaceId,
      environment: target.environment,
      rollupHash: rollup.hash,
    };
    const repo = this.options.store.preaggs;
    const report: RollupBuildReport = {
      workspaceId: key.workspaceId,
      environment: key.environment,
      rollupId: rollup.id,
      hash: rollup.hash,
      partitions: [],
      ms: 0,
    };
    const where = { workspaceId: key.workspaceId, environment: key.environment, rollup: rollup.id };
    let reads: PartitionSource | undefined;
    let partitions: RollupPartition[];
    let refreshValue: string | undefined;
    try {
      reads = await partitionSource(target, {
        store: this.options.store,
        root: this.root,
        timeoutMs: this.timeoutMs,
      });
      partitions = await reads.partitions();
      refreshValue = await reads.refreshValue();
    } catch (e) {
      await reads?.close();
      report.error = errorMessage(e);
      this.log.error({ ...where, err: report.error }, 'pre-aggregation build failed before any partition');
      const at = new Date(this.now()).toISOString();
      for (const row of await repo.listPartitions(key)) {
        await repo.recordError(key, row.partitionId, report.error, at);
      }
      report.ms = Math.round(performance.now() - started);
      return report;
    }

    try {
      await this.buildAll(target, key, reads, partitions, refreshValue, report, opts.force === true);
    } finally {
      await reads.close();
    }
    report.ms = Math.round(performance.now() - started);
    return report;
  }

  private async buildAll(
    target: BuildTarget,
    key: RollupKey,
    reads: PartitionSource,
    partitions: RollupPartition[],
    refreshValue: string | undefined,
    report: RollupBuildReport,
    force: boolean,
  ): Promise<void> {
    const { rollup } = target;
    const repo = this.options.store.preaggs;
    const removed = await repo.syncPartitions(
      {
        ...key,
        rollupId: rollup.id,
        kind: rollup.type,
        dataSource: rollup.dataSource,
        source: target.source.key,
      },
      partitions.map((p) => ({ id: p.id, start: p.start.toISOString(), end: p.end.toISOString() })),
    );
    const rows = new Map((await repo.listPartitions(key)).map((r) => [r.partitionId, r]));
    const due = (row: PartitionRecord | undefined) =>
      dueReason(row, {
        source: target.source.key,
        refreshSql: reads.keyed,
        refreshChanged: reads.changed,
        refreshValue,
        refreshEveryMs: rollup.refreshEveryMs,
        now: this.now(),
        ...(force ? { force: true } : {}),
      });
    for (const p of partitions) {
      const reason = due(rows.get(p.id));
      report.partitions.push(
        reason === undefined
          ? { partition: p.id, status: 'fresh' }
          : await this.buildPartition(target, key, p, reads, due, refreshValue),
      );
    }
    const changed = removed.length > 0 || report.partitions.some((p) => p.status === 'built');
    if (changed) {
      await this.sweep(key);
      this.options.onCommitted?.();
    }
  }

  /** Deletes the rollup's files that the manifest no longer names, once past the grace period. */
  async sweep(key: RollupKey): Promise<string[]> {
    const referenced = new Set(
      (await this.options.store.preaggs.listPartitions(key))
        .filter((r) => r.file)
        .map((r) => resolveFile(this.root, r.file!)),
    );
    return sweepDir(join(this.root, rollupDir(key)), referenced, this.graceMs);
  }

  private async buildPartition(
    t: BuildTarget,
    key: RollupKey,
    p: RollupPartition,
    reads: PartitionSource,
    due: (row: PartitionRecord | undefined) => string | undefined,
    refreshValue: string | undefined,
  ): Promise<PartitionOutcome> {
    const started = performance.now();
    const repo = this.options.store.preaggs;
    const lk = leaseKey(key, p.id);
    const lease = await acquireLease(repo, lk, this.holder, { ttlMs: this.leaseMs, now: this.now });
    if (!lease) return { partition: p.id, status: 'busy' };
    const where = {
      workspaceId: key.workspaceId,
      environment: key.environment,
      rollup: t.rollup.id,
      partition: p.id,
    };
    let written: string | undefined;
    try {
      // Read again under the lease: another builder may have finished it while we waited.
      const row = await repo.findPartition(key, p.id);
      const reason = row ? due(row) : undefined;
      if (!row || reason === undefined) return { partition: p.id, status: 'fresh' };
      const result = await reads.build(p, lease.signal);
      const queried = performance.now();
      const rel = partitionFile(key, p.id, row.generation + 1, t.rollup.type === 'original_sql');
      written = resolveFile(this.root, rel);
      await writeParquet(written, result.columns, result.rows);
      const wrote = performance.now();
      lease.signal.throwIfAborted();
      await repo.recordBuild(
        key,
        p.id,
        row.generation,
        {
          file: rel,
          rows: result.rows.length,
          builtAt: new Date(this.now()).toISOString(),
          refreshValue,
          buildMs: Math.round(wrote - started),
          source: t.source.key,
        },
        { key: lk, holder: this.holder, nowMs: this.now() },
      );
      written = undefined;
      if (row.file) await markSuperseded(resolveFile(this.root, row.file));
      const outcome: PartitionOutcome = {
        partition: p.id,
        status: 'built',
        reason,
        rows: result.rows.length,
        queryMs: Math.round(queried - started),
        writeMs: Math.round(wrote - queried),
        ms: Math.round(performance.now() - started),
      };
      this.log.info({ ...where, ...outcome }, 'pre-aggregation partition built');
      return outcome;
    } catch (e) {
      if (written) await unlink(written).catch(() => {});
      const ms = Math.round(performance.now() - started);
      if (e instanceof LeaseLostError || lease.signal.aborted) {
        this.log.warn({ ...where, err: errorMessage(e) }, 'pre-aggregation build discarded');
        return { partition: p.id, status: 'lost', ms, error: errorMessage(e) };
      }
      const message = errorMessage(e);
      this.log.error({ ...where, err: message }, 'pre-aggregation partition build failed');
      await repo
        .recordError(key, p.id, message, new Date(this.now()).toISOString())
        .catch((err: unknown) =>
          this.log.error({ ...where, err: errorMessage(err) }, 'could not record the build error'),
        );
      return { partition: p.id, status: 'failed', ms, error: message };
    } finally {
      await lease.release();
    }
  }
}
