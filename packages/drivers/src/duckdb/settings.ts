import { availableParallelism } from 'node:os';
import { configError } from '../errors.js';

const DEFAULT_MEMORY_LIMIT = '512MB';
const MAX_DEFAULT_THREADS = 4;
/**
 * DuckDB's jemalloc keeps what a query freed for the next one: a thread's cache is flushed only
 * after a task that allocated more than `allocator_flush_threshold` (DuckDB's default 128 MiB, which
 * a server's small queries never reach), and idle arenas are purged only when something allocates.
 * A background purge thread and a low threshold hand it back within a second or so of a burst
 * (bench:lean: 25–45 MB less RSS 5 s after each burst; the buffer pool itself held 19 MB of
 * flights columns, whatever the burst).
 */
const ALLOCATOR = { allocator_background_threads: 'true', allocator_flush_threshold: '8MB' };
const SIZE = /^\d+(?:\.\d+)?\s*(?:B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

/**
 * Bounds for every embedded DuckDB the process opens (a `duckdb` connection, the rollup reader, a
 * Parquet writer). DuckDB's own defaults are 80 % of the machine's memory and a thread per core
 * for each instance, which a server holding several next to its own heap cannot afford.
 * `INLAY_DUCKDB_MEMORY_LIMIT` (DuckDB's size text, default 512MB; past it DuckDB spills to disk
 * where it can) and `INLAY_DUCKDB_THREADS` (default: the cores, at most 4).
 */
export function duckdbResourceSettings(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const memory = env.INLAY_DUCKDB_MEMORY_LIMIT?.trim() || DEFAULT_MEMORY_LIMIT;
  if (!SIZE.test(memory)) {
    throw configError(
      `INLAY_DUCKDB_MEMORY_LIMIT=${memory} is not a size.`,
      'Give a number with a unit, like 512MB or 2GB.',
    );
  }
  const threadsText = env.INLAY_DUCKDB_THREADS?.trim();
  const threads = threadsText ? Number(threadsText) : Math.min(availableParallelism(), MAX_DEFAULT_THREADS);
  if (!Number.isInteger(threads) || threads < 1) {
    throw configError(
      `INLAY_DUCKDB_THREADS=${threadsText} is not a positive whole number.`,
      'Give the number of threads each embedded DuckDB may use, like 2.',
    );
  }
  return { memory_limit: memory, threads: String(threads), ...ALLOCATOR };
}
