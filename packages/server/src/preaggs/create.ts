import { DEFAULT_ENVIRONMENT, InlayError } from '@inlay/core';
import type { RollupLocator } from '@inlay/engine';
import type { Store } from '../store/index.js';
import { RollupBuilder, type RollupBuildReport } from './builder.js';
import { type PreaggLogger, silentLogger } from './log.js';
import { RollupReader } from './reader.js';
import { Scheduler, targetKey, type WorkspaceSource } from './scheduler.js';
import type { SourceLookups } from './sources.js';
import { type RollupStatus, rollupStatus } from './status.js';

export interface PreaggsOptions {
  store: Store;
  /** The app's workspace resolver (its drivers go through the per-connection limits), or the worker's. */
  workspaces: WorkspaceSource;
  /** Which connection each environment maps (`sourceLookup` of the workspaces, fresh per pass). */
  sources: SourceLookups;
  /** Rollup files go to `<dataDir>/preaggs`; every replica and worker must see the same folder. */
  dataDir: string;
  logger?: PreaggLogger;
  /** Run the scheduler in this process; false when `inlay worker` does it (`INLAY_PREAGGS_WORKER=external`). */
  schedule: boolean;
  /** Serve rollups from this process (an in-memory DuckDB); the worker says false. Default true. */
  serve?: boolean;
  /** Manifest poll for builds made elsewhere; default 5 s. */
  pollMs?: number;
  leaseMs?: number;
  graceMs?: number;
  buildTimeoutMs?: number;
  planEveryMs?: number;
  retryMs?: number;
  orphanAfterMs?: number;
  now?: () => number;
}

export interface Preaggs {
  readonly reader: RollupReader;
  readonly scheduler: Scheduler;
  readonly builder: RollupBuilder;
  /** The engine's locator for one caller: rollups built for this workspace and environment only. */
  locator(workspaceId: string, environment?: string): RollupLocator;
  /** Loads what is built and, with `schedule`, starts building in the background. */
  start(): Promise<void>;
  buildNow(
    workspaceId: string,
    opts?: { rollupId?: string; environment?: string; force?: boolean },
  ): Promise<RollupBuildReport[]>;
  status(workspaceId: string): Promise<RollupStatus[]>;
  /** New refresh contexts (or a push): plan again now instead of at the next periodic plan. */
  changed(): void;
  close(): Promise<void>;
}

/**
 * `INLAY_PREAGGS_WORKER`: `internal` (default) builds rollups inside every server process;
 * `external` leaves that to `inlay worker` and the servers only serve what it builds.
 */
export function preaggsScheduleFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.INLAY_PREAGGS_WORKER ?? '').trim().toLowerCase();
  if (v === '' || v === 'internal') return true;
  if (v === 'external') return false;
  throw new InlayError('CONFIG', `INLAY_PREAGGS_WORKER must be 'internal' or 'external', not '${v}'`, {
    hint: "Use 'external' when `inlay worker` runs next to the servers.",
  });
}

/** L2 pre-aggregations for one process: the reader that serves rollups and the scheduler that builds them. */
export function createPreaggs(options: PreaggsOptions): Preaggs {
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const serve = options.serve ?? true;
  const reader = new RollupReader({
    store: options.store,
    sources: options.sources,
    dataDir: options.dataDir,
    logger,
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
  });
  const builder = new RollupBuilder({
    store: options.store,
    dataDir: options.dataDir,
    logger,
    now,
    ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
    ...(options.graceMs !== undefined ? { graceMs: options.graceMs } : {}),
    ...(options.buildTimeoutMs !== undefined ? { buildTimeoutMs: options.buildTimeoutMs } : {}),
    // A local build is served at once rather than at the next poll.
    ...(serve ? { onCommitted: () => void reader.refresh() } : {}),
  });
  const scheduler = new Scheduler({
    store: options.store,
    workspaces: options.workspaces,
    sources: options.sources,
    builder,
    logger,
    now,
    ...(options.planEveryMs !== undefined ? { planEveryMs: options.planEveryMs } : {}),
    ...(options.retryMs !== undefined ? { retryMs: options.retryMs } : {}),
    ...(options.orphanAfterMs !== undefined ? { orphanAfterMs: options.orphanAfterMs } : {}),
  });
  let started = false;
  return {
    reader,
    scheduler,
    builder,
    locator: (workspaceId, environment = DEFAULT_ENVIRONMENT) => reader.locator(workspaceId, environment),
    async start() {
      if (started) return;
      started = true;
      if (serve) await reader.start();
      if (options.schedule) scheduler.start();
    },
    async buildNow(workspaceId, opts = {}) {
      const reports = await scheduler.buildNow(workspaceId, opts);
      if (serve) await reader.refresh();
      return reports;
    },
    async status(workspaceId) {
      const [targets, rows] = await Promise.all([
        scheduler.targets(workspaceId).catch(() => []),
        options.store.preaggs.listPartitions({ workspaceId }),
      ]);
      const loaded = serve
        ? new Set(reader.loaded().map((l) => targetKey(l.workspaceId, l.environment, l.hash)))
        : undefined;
      return rollupStatus(
        targets,
        rows,
        scheduler.lastReports,
        now(),
        loaded ? (t) => loaded.has(targetKey(t.workspaceId, t.environment, t.hash)) : undefined,
      );
    },
    changed() {
      if (options.schedule) void scheduler.replan();
    },
    async close() {
      await scheduler.close();
      await reader.close();
    },
  };
}
