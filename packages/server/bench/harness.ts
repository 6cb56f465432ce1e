/** Benchmark plumbing: autocannon runs, raw driver runs, small stats, figures against targets. */
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Driver, ParamValue } from '@inlay/core';
import autocannon from 'autocannon';

export interface LoadRun {
  /** Per-request response times (ms), from autocannon's `response` events. */
  times: number[];
  requests: number;
  non2xx: number;
  errors: number;
  seconds: number;
  rps: number;
}

/** One request's body and Authorization header. */
export interface BenchRequest {
  body: string;
  authorization: string;
}

/**
 * `amount` POSTs to `path` over `connections` keep-alive connections. With a function, each
 * request's body and Authorization header come from `next(i)` in turn, built per request. With a
 * list, every connection sends the list in order, each request built once: the load generator then
 * costs a fraction of the CPU (on 2 cores it shares the machine with the server).
 */
export async function cannon(
  url: string,
  path: string,
  connections: number,
  amount: number,
  next: ((i: number) => BenchRequest) | readonly BenchRequest[],
  recordTimes = true,
): Promise<LoadRun> {
  let i = 0;
  const times: number[] = [];
  const requests: autocannon.Request[] =
    typeof next === 'function'
      ? [
          {
            setupRequest: (req) => {
              const { body, authorization } = next(i++);
              return { ...req, body, headers: { ...req.headers, authorization } };
            },
          },
        ]
      : next.map(({ body, authorization }) => ({
          body,
          headers: { 'content-type': 'application/json', authorization },
        }));
  const options: autocannon.Options = {
    url: `${url}${path}`,
    connections,
    amount,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests,
  };
  const started = performance.now();
  let last = started;
  let answered = 0;
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon(options, (err, res) => (err ? fail(err) : done(res)));
    instance.on('response', (_client, _status, _bytes, ms: number) => {
      last = performance.now();
      // Exact per-request times (ms, fractional): autocannon's own histogram keeps whole milliseconds.
      if (recordTimes) times.push(ms);
      // autocannon notices `amount` on its 1-second tick; stop at once instead of idling until then.
      if (++answered === amount) instance.stop();
    });
  });
  // Up to the last answer, not to autocannon's tick: throughput is not rounded to whole seconds.
  const seconds = (last - started) / 1000;
  const total = result.requests.total;
  return {
    times,
    requests: total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds,
    rps: total / seconds,
  };
}

export interface RawRun {
  times: number[];
  seconds: number;
  rps: number;
}

/** `amount` driver calls, `concurrency` at a time, SQL and parameters from `next(i)` in turn. */
export async function rawRuns(
  driver: Driver,
  concurrency: number,
  amount: number,
  next: (i: number) => { sql: string; params: ParamValue[] },
): Promise<RawRun> {
  let i = 0;
  const times: number[] = [];
  const started = performance.now();
  const worker = async () => {
    while (i < amount) {
      const { sql, params } = next(i++);
      const t0 = performance.now();
      await driver.query(sql, params);
      times.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { times, seconds, rps: amount / seconds };
}

// One definition of the statistics for both benchmarks.
export { median, quantile } from '../../engine/bench/stats.js';

export const MB = 1024 * 1024;

/**
 * Stops a benchmark that would measure the TypeScript sources: `bin/inlay.js` runs them through
 * tsx (slower to start, ~60 MB more RSS) unless the bundle `npm install` built is current (its own
 * test, `bundleIsCurrent`), as after an edit. Users run the bundle.
 */
export async function requireCurrentBundle(repoRoot: string): Promise<void> {
  const sources = join(repoRoot, 'packages', 'sdk', 'scripts', 'sources.mjs');
  const { bundleIsCurrent } = (await import(pathToFileURL(sources).href)) as { bundleIsCurrent(): boolean };
  if (!bundleIsCurrent()) {
    throw new Error(
      'the CLI bundle is older than the sources (or INLAY_FROM_SOURCE=1): `inlay start` would run them through tsx, which users do not. Run `npm run build` first.',
    );
  }
}

export function machine() {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism?.() ?? cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    memory: `${(os.totalmem() / MB).toFixed(0)} MB`,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    load: os.loadavg().map((l) => l.toFixed(2)),
  };
}

/** One benchmark figure against its target. */
export interface Figure {
  id: string;
  label: string;
  value: number;
  target: number;
  unit: string;
  ratio: number;
  pass: boolean;
}

/** A figure whose target is a ceiling (`atLeast` false: latency, growth) or a floor (throughput, speed-up). */
export function figure(
  id: string,
  label: string,
  value: number,
  target: number,
  unit: string,
  atLeast = false,
): Figure {
  return {
    id,
    label,
    value,
    target,
    unit,
    ratio: value / target,
    pass: atLeast ? value >= target : value <= target,
  };
}
