import type { PreaggsRepo, RollupKey } from '../store/repos/preaggs.js';

export interface Lease {
  readonly key: string;
  readonly holder: string;
  /** Fires when a renewal finds the lease taken (or the store unreachable): stop the build. */
  readonly signal: AbortSignal;
  release(): Promise<void>;
}

export const leaseKey = (key: RollupKey, partitionId: string): string =>
  `preagg/${key.workspaceId}/${key.environment}/${key.rollupHash}/${partitionId}`;

/**
 * Takes the lease for one partition, or returns undefined when another worker holds it. While
 * held it is renewed every third of its time to live, so a long build keeps it and a crashed
 * builder's lease runs out on its own.
 */
export async function acquireLease(
  repo: PreaggsRepo,
  key: string,
  holder: string,
  options: { ttlMs: number; now: () => number },
): Promise<Lease | undefined> {
  if (!(await repo.acquireLease(key, holder, options.now(), options.ttlMs))) return undefined;
  const ac = new AbortController();
  const timer = setInterval(
    () => {
      repo.renewLease(key, holder, options.now(), options.ttlMs).then(
        (kept) => {
          if (!kept) ac.abort(new Error(`lease ${key} was taken by another builder`));
        },
        (e: unknown) => ac.abort(e),
      );
    },
    Math.max(10, Math.floor(options.ttlMs / 3)),
  );
  timer.unref();
  let released = false;
  return {
    key,
    holder,
    signal: ac.signal,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await repo.releaseLease(key, holder).catch(() => {});
    },
  };
}
