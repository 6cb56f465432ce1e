/**
 * The servers the benchmarks measure, each in its own process: Inlay started as `npm start` starts
 * it (`inlay start`, every default, logging included, logs written to a file as a service manager
 * would), and a bare `node:http` process answering fixed bytes (the floor any HTTP answer on this
 * machine pays).
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ensureFlightsDuckDB, testDataPaths } from '@inlay/example-flights';
import { requireCurrentBundle } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..', '..');
const CLOCK_TICKS_PER_SECOND = 100;

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** CPU time the process has used so far, in µs (from /proc; 10 ms resolution). */
  cpuUs(): number;
  /** Resident memory now, in bytes (from /proc). */
  rssBytes(): number;
  stop(): Promise<void>;
}

function procCpuUs(pid: number): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND) * 1e6;
}

/**
 * CPU time a process has used, in ns, from each thread's /proc schedstat (time on a CPU, to the
 * nanosecond where /proc/…/stat counts 10 ms ticks): its main thread, and all its live threads
 * (read once each, so the two agree; a thread that has ended no longer counts, which the server's
 * long-lived pools never do between two readings).
 */
export function threadCpuNs(pid: number): { main: number; all: number } {
  let main = 0;
  let all = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    let onCpu: number;
    try {
      onCpu = Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      continue; // A thread that ended between the listing and the read.
    }
    all += onCpu;
    if (task === String(pid)) main = onCpu;
  }
  return { main, all };
}

export function procRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  return Number(kb) * 1024;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
}

/** Resolves with the first stdout line matching `pattern`; rejects when the process exits first. */
function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  const lines = createInterface({ input: child.stdout! });
  return new Promise((done, fail) => {
    const onExit = (code: number | null) => fail(new Error(`${what} exited (${code}) before it was ready`));
    child.once('exit', onExit);
    lines.on('line', (line) => {
      const m = pattern.exec(line);
      if (!m) return;
      child.off('exit', onExit);
      done(m);
    });
  });
}

export interface InlayProcess extends ServerProcess {
  apiKey: string;
  dataDir: string;
  duckdbPath: string;
  /** The log file's size so far (what the request lines cost in bytes). */
  logBytes(): number;
}

/**
 * `inlay start --project examples/flights --port 0` in a fresh data dir, as `npm start` runs it; `env` adds
 * to the defaults (the benchmarks turn the per-caller rate limit off: one load generator sends far
 * more than 600 requests a minute). The demo's DuckDB file is linked in, not rebuilt.
 */
export async function startInlay(env: Record<string, string> = {}): Promise<InlayProcess> {
  await requireCurrentBundle(repoRoot);
  const duckdbPath = await ensureFlightsDuckDB(testDataPaths().dataDir);
  const dataDir = mkdtempSync(join(os.tmpdir(), 'inlay-bench-'));
  symlinkSync(duckdbPath, join(dataDir, 'flights.duckdb'));
  const apiKey = `inlay_bench_${randomBytes(24).toString('hex')}`;
  const logFile = join(dataDir, 'server.log');
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROFILE
        ? [`--cpu-prof`, `--cpu-prof-interval=100`, `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
        : []),
      join(repoRoot, 'packages', 'sdk', 'bin', 'inlay.js'),
      'start',
      '--project',
      join(repoRoot, 'examples', 'flights'),
      '--port',
      '0',
      '--data-dir',
      dataDir,
    ],
    {
      cwd: repoRoot,
      env: { ...process.env, NODE_ENV: '', INLAY_API_KEY: apiKey, ...env },
      stdio: ['ignore', 'pipe', openSync(logFile, 'a')],
    },
  );
  const ready = await waitForLine(child, /listening on (http:\/\/\S+)/, 'inlay start');
  const stop = stopper(child);
  return {
    child,
    url: ready[1]!,
    apiKey,
    dataDir,
    duckdbPath,
    cpuUs: () => procCpuUs(child.pid!),
    rssBytes: () => procRssBytes(child.pid!),
    logBytes: () => statSync(logFile).size,
    async stop() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A bare `node:http` process answering every request with `body` as JSON, keep-alive. */
export async function startBareHttp(body: string): Promise<ServerProcess> {
  const dir = mkdtempSync(join(os.tmpdir(), 'inlay-bench-bare-'));
  const file = join(dir, 'body.json');
  writeFileSync(file, body);
  const child = spawn(process.execPath, [join(here, 'bare-http.mjs'), file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = await waitForLine(child, /^READY (http:\/\/\S+)/, 'the bare HTTP server');
  const stop = stopper(child);
  return {
    child,
    url: ready[1]!,
    cpuUs: () => procCpuUs(child.pid!),
    rssBytes: () => procRssBytes(child.pid!),
    async stop() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
