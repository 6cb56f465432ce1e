/**
 * What the lean benchmark needs to start the product as a user does and watch it come up: a spawn
 * of `inlay start` (or `npm start`) on a chosen port and data dir, polls of its health routes from
 * the moment of the spawn, the RSS of a process and of everything it started, and plain HTTP calls
 * that cost the client as little as possible (node:http, one keep-alive socket).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { procRssBytes } from './product-server.js';

export interface Answer {
  status: number;
  body: string;
  ms: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One request to 127.0.0.1:`port`; a refused connection answers status 0 (not up yet). */
export function call(
  port: number,
  method: string,
  path: string,
  body?: string,
  auth?: string,
): Promise<Answer> {
  const t0 = performance.now();
  return new Promise((done) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: {
          ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
          ...(auth ? { authorization: auth } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          done({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - t0,
          }),
        );
      },
    );
    req.on('error', () => done({ status: 0, body: '', ms: performance.now() - t0 }));
    req.end(body);
  });
}

/** A port nothing listens on now (the OS picks it; closed again before the server binds it). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The pids of every process below `pid` (npm → sh → node), from /proc. */
export function descendants(pid: number): number[] {
  const parentOf = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(ppid, [...(parentOf.get(ppid) ?? []), Number(name)]);
    } catch {
      // The process ended while the list was read.
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of parentOf.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

export function commandOf(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
}

export const rssOf = (pid: number): number => {
  try {
    return procRssBytes(pid);
  } catch {
    return 0;
  }
};

export interface Started {
  child: ChildProcess;
  /** `performance.now()` just before the spawn. */
  t0: number;
  port: number;
  /** The node process serving HTTP (the child itself, or the one `npm start` runs). */
  serverPid(): number;
  stop(): Promise<void>;
}

const spawned = new Set<ChildProcess>();
/** However the benchmark ends, nothing it started outlives it (each in its own process group). */
export function killAll(): void {
  for (const child of spawned) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/**
 * The demo as a user starts it, with `INLAY_DATA_DIR`, `INLAY_PORT` and `env` added to the
 * environment: `node packages/sdk/bin/inlay.js start --project examples/flights` (what the root
 * `start` script runs), or `npm start` itself. Output goes to `logFile`, as a service manager keeps it.
 */
export function startDemo(options: {
  repoRoot: string;
  dataDir: string;
  port: number;
  env: Record<string, string>;
  logFile: string;
  viaNpm?: boolean;
  nodeFlags?: string[];
}): Started {
  const { repoRoot, dataDir, port, env, logFile } = options;
  const log = openSync(logFile, 'a');
  const t0 = performance.now();
  const [command, args] = options.viaNpm
    ? ['npm', ['start']]
    : [
        process.execPath,
        [
          ...(options.nodeFlags ?? []),
          join(repoRoot, 'packages', 'sdk', 'bin', 'inlay.js'),
          'start',
          '--project',
          'examples/flights',
        ],
      ];
  const child = spawn(command as string, args as string[], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: '', INLAY_DATA_DIR: dataDir, INLAY_PORT: String(port), ...env },
    stdio: ['ignore', log, log],
    detached: true,
  });
  spawned.add(child);
  const serverPid = () => {
    if (!options.viaNpm) return child.pid!;
    // The deepest match: `sh -c "inlay start …"` matches too, and runs the node process below it.
    const node = descendants(child.pid!)
      .filter((p) => /inlay(\.js)? start/.test(commandOf(p)))
      .at(-1);
    if (!node) throw new Error('npm start: no `inlay start` process below it');
    return node;
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    // The whole group: `npm start` does not always pass SIGTERM on to the server it runs.
    process.kill(-child.pid!, 'SIGTERM');
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    spawned.delete(child);
  };
  return { child, t0, port, serverPid, stop };
}

/**
 * Polls `path` every `everyMs` until it answers 200; the time from the spawn to that answer (ms).
 * Fails when the process exits first or after `timeoutMs`.
 */
export async function until(
  s: Started,
  path: string,
  options: { body?: string; auth?: string; everyMs?: number; timeoutMs?: number } = {},
): Promise<{ ms: number; answer: Answer }> {
  const { everyMs = 10, timeoutMs = 120_000 } = options;
  for (;;) {
    const answer = await call(s.port, options.body ? 'POST' : 'GET', path, options.body, options.auth);
    if (answer.status === 200) return { ms: performance.now() - s.t0, answer };
    if (s.child.exitCode !== null)
      throw new Error(`the server exited (${s.child.exitCode}) before ${path} answered`);
    if (performance.now() - s.t0 > timeoutMs) {
      throw new Error(
        `${path} did not answer 200 within ${timeoutMs} ms (last: ${answer.status} ${answer.body.slice(0, 200)})`,
      );
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
