import { DEFAULT_ENVIRONMENT, type Driver, InlayError } from '@inlay/core';
import { type RollupDef, rollupsOf, type SemanticModel } from '@inlay/engine';
import type { Store } from '../store/index.js';
import type { PartitionRecord } from '../store/repos/preaggs.js';
import type { RollupBuilder, RollupBuildReport } from './builder.js';
import { errorMessage, type PreaggLogger, silentLogger } from './log.js';
import type { RollupSource, SourceLookups } from './sources.js';

/** What building needs of a workspace: its served models and a driver per data source. */
export interface BuildWorkspace {
  getModel(): Promise<SemanticModel>;
  getDriver(dataSource: string, environment?: string): Promise<Driver>;
  /** Drops a driver opened from an older version of the connection. */
  connectionChanged?(name: string): Promise<void>;
}

/** Where the scheduler finds a workspace's models and drivers (the app's resolver, or the worker's). */
export interface WorkspaceSource {
  get(id: string): Promise<BuildWorkspace>;
}

/** One rollup of a workspace's served models, for one environment that maps its data source. */
export interface Target {
  key: string;
  workspaceId: string;
  environment: string;
  model: SemanticModel;
  rollup: RollupDef;
  source: RollupSource;
}

export interface SchedulerOptions {
  store: Store;
  workspaces: WorkspaceSource;
  /** Which connection each environment maps: a target per environment that maps the data source. */
  sources: SourceLookups;
  builder: RollupBuilder;
  logger?: PreaggLogger;
  /** How often targets are recomputed (pushed models, environments, refresh contexts); default 60 s. */
  planEveryMs?: number;
  /** Next try after a failed or contended build, when sooner than the rollup's period; default 60 s. */
  retryMs?: number;
  /** Manifest entries no target refreshes any more (old model, dropped environment) go after this; default 1 h. */
  orphanAfterMs?: number;
  now?: () => number;
}

const MAX_TIMER_MS = 2_147_483_647;

export const targetKey = (workspaceId: string, environment: string, hash: string): string =>
  `${workspaceId}\0${environment}\0${hash}`;

const rebuilt = (r: RollupBuildReport): boolean => r.partitions.some((p) => p.status === 'built');

/** Targets whose rollup is built from `t`'s original_sql copy, in the same workspace and environment. */
function dependentsOf(t: Target, among: Iterable<Target>): Target[] {
  return [...among].filter(
    (d) =>
      d.workspaceId === t.workspaceId &&
      d.environment === t.environment &&
      d.rollup.originalSql?.hash === t.rollup.hash,
  );
}

/**
 * Keeps every target's rollup fresh: builds all of them on start, then each on its own timer
 * (`refreshEveryMs`), one build at a time per process. Leases make several schedulers (replicas,
 * `inlay worker`) on one store safe; the due check makes the ones that lose the race cheap.
 */
export class Scheduler {
  private readonly log: PreaggLogger;
  private readonly now: () => number;
  private readonly targetsByKey = new Map<string, Target>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  /** The last connection version this process built from, so a changed one drops the cached driver. */
  private readonly seenSources = new Map<string, string>();
  /** The last report per target, for status (rollup-level errors have no manifest row to live in). */
  readonly lastReports = new Map<string, RollupBuildReport>();
  private planTimer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private planning: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: SchedulerOptions) {
    this.log = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
  }

  /** Plans (and so builds whatever is not fresh) in the background, then re-plans periodically. */
  start(): void {
    if (this.planTimer || this.closed) return;
    void this.replan();
    this.planTimer = setInterval(() => void this.replan(), this.options.planEveryMs ?? 60_000);
    this.planTimer.unref();
  }

  /** Recomputes the targets now (after a push or new refresh contexts); new ones build at once. */
  replan(): Promise<void> {
    this.planning ??= this.plan().finally(() => {
      this.planning = undefined;
    });
    return this.planning;
  }

  /** Resolves once nothing is queued or building (tests, the CLI). */
  async idle(): Promise<void> {
    await this.planning;
    while (this.draining) await this.draining;
  }

  /** The targets of one workspace: its served models' rollups × `default` and registered environments. */
  async targets(workspaceId: string): Promise<Target[]> {
    const { store } = this.options;
    const workspace = await this.options.workspaces.get(workspaceId);
    const model = await workspace.getModel();
    // original_sql copies first: the rollups built from them read what they just built.
    const rollups = [...rollupsOf(model)].sort(
      (a, b) => Number(b.type === 'original_sql') - Number(a.type === 'original_sql'),
    );
    const contexts = await store.preaggs.refreshContexts(workspaceId);
    const environments = [...new Set([DEFAULT_ENVIRONMENT, ...(contexts?.environments ?? [])])];
    const sourceOf = this.options.sources();
    const out: Target[] = [];
    for (const environment of environments) {
      for (const rollup of rollups) {
        const source = await sourceOf(workspaceId, environment, rollup.dataSource);
        if (!source) continue; // this environment maps no connection for it: nothing to build
        const key = targetKey(workspaceId, environment, rollup.hash);
        out.push({ key, workspaceId, environment, model, rollup, source });
      }
    }
    return out;
  }

  /** Builds one workspace's rollups now (all, or one id, or one environment), in this process. */
  async buildNow(
    workspaceId: string,
    opts: { rollupId?: string; environment?: string; force?: boolean } = {},
  ): Promise<RollupBuildReport[]> {
    const all = await this.targets(workspaceId);
    const chosen = all.filter(
      (t) =>
        (opts.rollupId === undefined || t.rollup.id === opts.rollupId) &&
        (opts.environment === undefined || t.environment === opts.environment),
    );
    if (chosen.length === 0 && (opts.rollupId || opts.environment)) {
      const known = [...new Set(all.map((t) => `${t.rollup.id} (${t.environment})`))];
      throw new InlayError(
        'NOT_FOUND',
        `no pre-aggregation ${opts.rollupId ?? ''}${opts.environment ? ` in environment '${opts.environment}'` : ''} to build`,
        {
          hint: known.length
            ? `Known: ${known.join(', ')}.`
            : 'The served models define no pre_aggregations.',
        },
      );
    }
    const reports: RollupBuildReport[] = [];
    const done = new Set<string>();
    const asked = new Set(chosen.map((t) => t.key));
    for (const t of chosen) {
      if (done.has(t.key)) continue;
      done.add(t.key);
      const report = await this.run(t, opts.force === true && asked.has(t.key));
      reports.push(report);
      // A rebuilt copy makes the rollups read from it due; build them now too, after it.
      if (rebuilt(report)) for (const d of dependentsOf(t, all)) if (!done.has(d.key)) chosen.push(d);
    }
    return reports;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.planTimer) clearInterval(this.planTimer);
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.queue.length = 0;
    this.queued.clear();
    await this.planning?.catch(() => {});
    await this.draining?.catch(() => {});
  }

  private async plan(): Promise<void> {
    if (this.closed) return;
    const { store } = this.options;
    const seen = new Set<string>();
    const planned = new Set<string>();
    let workspaces: { id: string }[];
    try {
      workspaces = await store.workspaces.list();
    } catch (e) {
      this.log.warn(
        { err: errorMessage(e) },
        'pre-aggregation planning failed: the metadata store did not answer',
      );
      return;
    }
    for (const ws of workspaces) {
      let targets: Target[];
      try {
        targets = await this.targets(ws.id);
      } catch (e) {
        // No models yet, or models that do not compile: nothing to build, and nothing to forget.
        this.log.debug({ workspaceId: ws.id, err: errorMessage(e) }, 'no pre-aggregations planned');
        continue;
      }
      planned.add(ws.id);
      for (const t of targets) {
        seen.add(t.key);
        const known = this.targetsByKey.has(t.key);
        this.targetsByKey.set(t.key, t);
        if (!known) this.enqueue(t.key);
      }
    }
    for (const key of [...this.targetsByKey.keys()]) {
      if (seen.has(key)) continue;
      this.targetsByKey.delete(key);
      clearTimeout(this.timers.get(key));
      this.timers.delete(key);
    }
    await this.forgetOrphans(planned, seen).catch((e: unknown) =>
      this.log.warn({ err: errorMessage(e) }, 'pre-aggregation clean-up failed'),
    );
  }

  /** Drops manifest rows nothing refreshes any more, once they are old enough, and their files. */
  private async forgetOrphans(workspaces: Set<string>, live: Set<string>): Promise<void> {
    const cutoff = this.now() - (this.options.orphanAfterMs ?? 60 * 60_000);
    const groups = new Map<string, PartitionRecord[]>();
    for (const r of await this.options.store.preaggs.listPartitions()) {
      const key = targetKey(r.workspaceId, r.environment, r.rollupHash);
      if (!workspaces.has(r.workspaceId) || live.has(key)) continue;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    for (const rows of groups.values()) {
      const newest = Math.max(...rows.map((r) => (r.builtAt ? Date.parse(r.builtAt) : 0)));
      if (newest > cutoff) continue;
      await this.options.store.preaggs.deletePartitions(rows);
      await this.options.builder.sweep(rows[0]!);
      this.log.info(
        { workspaceId: rows[0]!.workspaceId, environment: rows[0]!.environment, rollup: rows[0]!.rollupId },
        'pre-aggregation no longer refreshed: dropped',
      );
    }
  }

  private enqueue(key: string): void {
    if (this.closed || this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.closed) {
      const key = this.queue.shift()!;
      this.queued.delete(key);
      const target = this.targetsByKey.get(key);
      if (!target) continue;
      const report = await this.run(target, false);
      if (!this.closed && this.targetsByKey.has(key)) this.scheduleNext(target, report);
      if (rebuilt(report))
        for (const d of dependentsOf(target, this.targetsByKey.values())) this.enqueue(d.key);
    }
  }

  private scheduleNext(t: Target, report: RollupBuildReport): void {
    const period = Math.max(1_000, t.rollup.refreshEveryMs);
    const unsettled =
      report.error || report.partitions.some((p) => p.status !== 'built' && p.status !== 'fresh');
    const delay = Math.min(
      MAX_TIMER_MS,
      unsettled ? Math.min(period, this.options.retryMs ?? 60_000) : period,
    );
    clearTimeout(this.timers.get(t.key));
    const timer = setTimeout(() => {
      this.timers.delete(t.key);
      this.enqueue(t.key);
    }, delay);
    timer.unref();
    this.timers.set(t.key, timer);
  }

  private async run(t: Target, force: boolean): Promise<RollupBuildReport> {
    let report: RollupBuildReport;
    try {
      const workspace = await this.options.workspaces.get(t.workspaceId);
      const seenKey = `${t.workspaceId}\0${t.source.connection}`;
      const seen = this.seenSources.get(seenKey);
      // Credentials changed (maybe by another replica): a cached driver would read the old database.
      if (seen !== undefined && seen !== t.source.key)
        await workspace.connectionChanged?.(t.source.connection);
      this.seenSources.set(seenKey, t.source.key);
      const driver = await workspace.getDriver(t.rollup.dataSource, t.environment);
      report = await this.options.builder.build({ ...t, driver }, { force });
    } catch (e) {
      report = {
        workspaceId: t.workspaceId,
        environment: t.environment,
        rollupId: t.rollup.id,
        hash: t.rollup.hash,
        partitions: [],
        ms: 0,
        error: errorMessage(e),
      };
      this.log.error(
        { workspaceId: t.workspaceId, environment: t.environment, rollup: t.rollup.id, err: report.error },
        'pre-aggregation build failed',
      );
    }
    this.lastReports.set(t.key, report);
    return report;
  }
}
