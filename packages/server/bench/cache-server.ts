/**
 * The server side of `bench:cache`, in its own process so it has a core of its own while
 * autocannon drives it from the other: the Inlay server with the L1 cache on, and a plain Fastify
 * server that answers a fixed body (the floor any HTTP answer on this machine pays).
 * Prints one `READY {json}` line, then serves until killed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Fastify from 'fastify';
import { startBenchServer } from './harness.js';

const bench = await startBenchServer({ INLAY_CACHE_MAX_MB: '256', INLAY_PREAGGS: 'on' });
const plain = Fastify({ logger: false });
let body = '{}';
plain.post('/plain', async (_req, reply) => reply.type('application/json').send(body));
plain.put('/plain', async (req) => {
  body = String(req.body);
  return { ok: true };
});
plain.addContentTypeParser('text/plain', { parseAs: 'string' }, (_req, text, done) => done(null, text));
const plainUrl = await plain.listen({ port: 0, host: '127.0.0.1' });
console.log(
  `READY ${JSON.stringify({ url: bench.url, apiKey: bench.apiKey, duckdbPath: bench.duckdbPath, plainUrl })}`,
);
// The parent asks for this process's CPU time around a run (CPU per request, whatever the load
// generator manages) and how long the event loop stalled since the last ask (the tail's floor).
const stalls = monitorEventLoopDelay({ resolution: 1 });
stalls.enable();
// BENCH_PROFILE=dir: readings bracket each L1 run, so the CPU profile between two of them is that
// run's alone (l1-run-N.cpuprofile, for Chrome DevTools), without start-up and rollup builds.
const profileDir = process.env.BENCH_PROFILE;
const inspector = profileDir ? new Session() : undefined;
let profiles = 0;
let profiling = false;
if (inspector && profileDir) {
  mkdirSync(profileDir, { recursive: true });
  inspector.connect();
  await inspector.post('Profiler.enable');
}
process.on('SIGUSR2', async () => {
  const u = process.cpuUsage();
  console.log(`CPU ${u.user + u.system} ${stalls.percentile(99) / 1e6} ${stalls.max / 1e6}`);
  stalls.reset();
  if (!inspector || !profileDir) return;
  if (profiling) {
    const { profile } = await inspector.post('Profiler.stop');
    writeFileSync(join(profileDir, `l1-run-${++profiles}.cpuprofile`), JSON.stringify(profile));
  } else await inspector.post('Profiler.start');
  profiling = !profiling;
});
process.on('SIGTERM', async () => {
  await plain.close();
  await bench.server.close();
  process.exit(0);
});
