/**
 * The server side of `bench:cache`, in its own process so it has a core of its own while
 * autocannon drives it from the other: the Inlay server with the L1 cache on, and a plain Fastify
 * server that answers a fixed body (the floor any HTTP answer on this machine pays).
 * Prints one `READY {json}` line, then serves until killed.
 */
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
process.on('SIGUSR2', () => {
  const u = process.cpuUsage();
  console.log(`CPU ${u.user + u.system} ${stalls.percentile(99) / 1e6} ${stalls.max / 1e6}`);
  stalls.reset();
});
process.on('SIGTERM', async () => {
  await plain.close();
  await bench.server.close();
  process.exit(0);
});
