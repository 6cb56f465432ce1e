import { createHash, randomBytes } from 'node:crypto';
import { readdir, rmdir, stat, unlink, utimes } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import type { RollupKey } from '../store/repos/preaggs.js';

/** `<dataDir>/preaggs`: every rollup file lives below it, and only manifest paths are read from it. */
export const preaggsRoot = (dataDir: string): string => join(dataDir, 'preaggs');

const SAFE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

/**
 * A path segment from a name we do not fully control (workspace id, environment, partition id):
 * kept readable when it is plainly safe, else a digest, so no name can climb out of the root.
 */
export function segment(name: string): string {
  if (SAFE.test(name) && !name.includes('..')) return name;
  return `h_${createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 24)}`;
}

/** The folder of one rollup table's partitions, relative to the root. */
export const rollupDir = (key: RollupKey): string =>
  join(segment(key.workspaceId), segment(key.environment), segment(key.rollupHash));

/** How an original_sql copy's files end, so one is told apart on disk too (the manifest says `kind`). */
const COPY_SUFFIX = '.original_sql.parquet';

/**
 * `<partition>.<generation>.<nonce>.parquet` (`….original_sql.parquet` for a copy): the nonce
 * keeps two builders that both believe they hold the lease (one stalled past its expiry) from
 * ever writing the same name.
 */
export function partitionFile(key: RollupKey, partitionId: string, generation: number, copy = false): string {
  const nonce = randomBytes(4).toString('hex');
  const suffix = copy ? COPY_SUFFIX : '.parquet';
  return join(rollupDir(key), `${segment(partitionId)}.${generation}.${nonce}${suffix}`);
}

/** The absolute path of a manifest file name; refuses anything that would leave the root. */
export function resolveFile(root: string, relative: string): string {
  const clean = normalize(relative);
  if (isAbsolute(clean) || clean.startsWith(`..${sep}`) || clean === '..' || !clean.endsWith('.parquet')) {
    throw new Error(`refusing rollup file path '${relative}' from the manifest`);
  }
  return join(root, clean);
}

/**
 * Marks a superseded file as "unreferenced since now": the sweep deletes unreferenced files only
 * once their mtime is older than the grace period, so a replica still loading the previous
 * generation from an older manifest read finds it there.
 */
export async function markSuperseded(path: string): Promise<void> {
  const t = new Date();
  await utimes(path, t, t).catch(() => {});
}

/**
 * Deletes files in `dir` (absolute) that the manifest does not name and that have been
 * untouched for `graceMs`: superseded generations, temp files of crashed builds, files of
 * builds whose lease was lost. Returns the deleted names.
 */
export async function sweepDir(dir: string, referenced: Set<string>, graceMs: number): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const deleted: string[] = [];
  const cutoff = Date.now() - graceMs;
  for (const name of names) {
    const path = join(dir, name);
    if (referenced.has(path)) continue;
    try {
      const s = await stat(path);
      if (!s.isFile() || s.mtimeMs > cutoff) continue;
      await unlink(path);
      deleted.push(name);
    } catch {
      // Gone already (another process swept it), or not ours to remove: either way, move on.
    }
  }
  if (deleted.length === names.length) await rmdir(dir).catch(() => {});
  return deleted;
}
