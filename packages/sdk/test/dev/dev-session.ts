import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DevEvent } from '@inlay/core';
import { testDataPaths } from '@inlay/example-flights';
import { cliPath, repoRoot } from '../run-cli.js';

/**
 * `inlay dev` as a person runs it, in a child process on a free port, with its terminal output
 * and its event stream recorded for the tests to wait on.
 */
export interface DevSession {
  url: string;
  apiKey: string;
  /** Everything printed so far (stdout). */
  output(): string;
  /** Events seen on the stream opened by `subscribe` (in order). */
  events: DevEvent[];
  /** Opens the event stream with the dev key; resolves once `hello` arrived. */
  subscribe(): Promise<void>;
  /** The first event after index `from` matching `test`, within `ms`. */
  waitEvent(test: (e: DevEvent) => boolean, from: number, ms?: number): Promise<DevEvent>;
  /** Waits until the terminal output matches. */
  waitOutput(pattern: RegExp, ms?: number): Promise<string>;
  api<T>(path: string, method?: 'GET' | 'POST', body?: object): Promise<T>;
  stop(): Promise<number | null>;
}

async function until<T>(what: string, ms: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startDev(
  projectDir: string,
  extraArgs: string[] = [],
  env: Record<string, string> = {},
): Promise<DevSession> {
  const args = [
    resolve(repoRoot, cliPath),
    'dev',
    '--port',
    '0',
    '--connection',
    testDataPaths().duckdbPath,
    ...extraArgs,
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: projectDir,
    env: { ...process.env, NO_COLOR: '1', INLAY_LOG_LEVEL: 'warn', INLAY_PREAGGS: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr!.on('data', (d) => {
    stderr += String(d);
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let exitCode: number | null | undefined;
  void exited.then((c) => {
    exitCode = c;
  });
  const ready = await until('inlay dev to be ready', 60_000, () => {
    if (exitCode !== undefined) throw new Error(`inlay dev exited (${exitCode}):\n${stdout}\n${stderr}`);
    return /Ready: open (http:\/\/[^\s/]+)\//.exec(stdout)?.[1];
  });
  const apiKey = readFileSync(join(projectDir, '.inlay', 'dev', 'dev-api-key'), 'utf8').trim();
  const events: DevEvent[] = [];
  const abort = new AbortController();
  const session: DevSession = {
    url: ready,
    apiKey,
    output: () => stdout,
    events,
    async subscribe() {
      const res = await fetch(`${ready}/api/v1/dev/events`, {
        headers: { authorization: `Bearer ${apiKey}` },
        signal: abort.signal,
      });
      if (!res.ok || !res.body) throw new Error(`events: ${res.status} ${await res.text()}`);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      void (async () => {
        let buffer = '';
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            buffer += value;
            let end = buffer.indexOf('\n\n');
            while (end >= 0) {
              const frame = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const data = frame
                .split('\n')
                .filter((l) => l.startsWith('data: '))
                .map((l) => l.slice(6))
                .join('\n');
              if (data) events.push(JSON.parse(data) as DevEvent);
              end = buffer.indexOf('\n\n');
            }
          }
        } catch {
          // Aborted by stop().
        }
      })();
      await until('hello', 5_000, () => events.find((e) => e.type === 'hello'));
    },
    waitEvent(test, from, ms = 15_000) {
      return until(`an event after #${from} (seen: ${JSON.stringify(events.slice(from))})`, ms, () =>
        events.slice(from).find(test),
      );
    },
    waitOutput(pattern, ms = 15_000) {
      return until(`output ${pattern} (got:\n${stdout})`, ms, () => pattern.exec(stdout)?.[0]);
    },
    async api<T>(path: string, method: 'GET' | 'POST' = 'GET', body?: object) {
      const res = await fetch(`${ready}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${apiKey}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    async stop() {
      abort.abort();
      if (exitCode === undefined) child.kill('SIGTERM');
      return exited;
    },
  };
  return session;
}
