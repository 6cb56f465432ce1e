import type { PreaggKind } from '../store/index.js';
import type { PartitionRecord } from '../store/repos/preaggs.js';
import type { RollupBuildReport } from './builder.js';
import { type Target, targetKey } from './scheduler.js';

export type RollupState =
  /** Every partition built from the connection the environment maps now. */
  | 'built'
  /** Some partitions wait for their first build (or the rollup was never built). */
  | 'pending'
  /** Built from a connection (or credentials) the environment no longer maps: not served. */
  | 'stale source'
  /** In the manifest, but no served model or registered environment refreshes it any more. */
  | 'orphaned';

export interface RollupStatus {
  rollupId: string;
  /** An original_sql copy is built for the rollups that read it, never served itself. */
  type: PreaggKind;
  hash: string;
  environment: string;
  dataSource: string;
  /** The connection the environment maps now (absent for orphaned entries). */
  connection?: string;
  state: RollupState;
  partitions: number;
  builtPartitions: number;
  rows: number;
  /** The oldest partition's build time, and its age: how stale the rollup may be. */
  builtAt?: string;
  ageMs?: number;
  /** Sum of the partitions' last build times. */
  buildMs?: number;
  refreshEveryMs?: number;
  lastError?: string;
  lastErrorAt?: string;
  /** Whether this process's reader serves it (absent where there is no reader: the worker). */
  served?: boolean;
}

/** The manifest of one workspace seen through its current targets: what the CLI and the API print. */
export function rollupStatus(
  targets: Target[],
  rows: PartitionRecord[],
  reports: ReadonlyMap<string, RollupBuildReport>,
  now: number,
  served?: (t: { workspaceId: string; environment: string; hash: string }) => boolean,
): RollupStatus[] {
  const groups = new Map<string, PartitionRecord[]>();
  for (const r of rows) {
    const k = targetKey(r.workspaceId, r.environment, r.rollupHash);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const out: RollupStatus[] = [];
  for (const t of targets) {
    const g = groups.get(t.key) ?? [];
    groups.delete(t.key);
    const report = reports.get(t.key);
    const stale = g.some((r) => r.file && r.source !== t.source.key);
    const complete = g.length > 0 && g.every((r) => r.file);
    out.push({
      ...summary(g, now),
      rollupId: t.rollup.id,
      type: t.rollup.type,
      hash: t.rollup.hash,
      environment: t.environment,
      dataSource: t.rollup.dataSource,
      connection: t.source.connection,
      state: stale ? 'stale source' : complete ? 'built' : 'pending',
      refreshEveryMs: t.rollup.refreshEveryMs,
      // A failure before any partition (range query) has no row to record it in.
      ...(report?.error && !g.some((r) => r.lastError) ? { lastError: report.error } : {}),
      ...(served
        ? { served: served({ workspaceId: t.workspaceId, environment: t.environment, hash: t.rollup.hash }) }
        : {}),
    });
  }
  for (const g of groups.values()) {
    const first = g[0]!;
    out.push({
      ...summary(g, now),
      rollupId: first.rollupId,
      type: first.kind,
      hash: first.rollupHash,
      environment: first.environment,
      dataSource: first.dataSource,
      state: 'orphaned',
      ...(served ? { served: served({ ...first, hash: first.rollupHash }) } : {}),
    });
  }
  return out.sort(
    (a, b) => a.rollupId.localeCompare(b.rollupId) || a.environment.localeCompare(b.environment),
  );
}

function summary(
  g: PartitionRecord[],
  now: number,
): Pick<
  RollupStatus,
  'partitions' | 'builtPartitions' | 'rows' | 'builtAt' | 'ageMs' | 'buildMs' | 'lastError' | 'lastErrorAt'
> {
  const built = g.filter((r) => r.file && r.builtAt);
  const oldest = built.map((r) => r.builtAt!).sort()[0];
  const failed = g
    .filter((r) => r.lastError)
    .sort((a, b) => (b.lastErrorAt ?? '').localeCompare(a.lastErrorAt ?? ''))[0];
  return {
    partitions: g.length,
    builtPartitions: built.length,
    rows: built.reduce((n, r) => n + (r.rows ?? 0), 0),
    ...(oldest ? { builtAt: oldest, ageMs: Math.max(0, now - Date.parse(oldest)) } : {}),
    ...(built.length ? { buildMs: built.reduce((n, r) => n + (r.buildMs ?? 0), 0) } : {}),
    ...(failed ? { lastError: failed.lastError!, lastErrorAt: failed.lastErrorAt! } : {}),
  };
}
