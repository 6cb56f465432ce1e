import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testDataPaths } from '@inlay/example-flights';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const cliPath = join('packages', 'sdk', 'bin', 'inlay.js');
export const fixture = (name: string) => join('packages', 'sdk', 'test', 'fixtures', name);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `inlay` launcher as a child process (cwd the repo root unless given), with
 * `INLAY_DATA_DIR` pointing at the test data so the flights demo reads the test DuckDB file.
 */
export function runCli(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const env = { ...process.env, INLAY_DATA_DIR: testDataPaths().dataDir, NO_COLOR: '1', ...opts.env };
  return new Promise((done) => {
    execFile(
      process.execPath,
      [resolve(repoRoot, cliPath), ...args],
      { cwd: opts.cwd ?? repoRoot, env, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        done({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** Runs a shell command line as printed by `inlay start`, with `npx inlay` meaning this checkout's CLI. */
export function runShell(line: string, env: Record<string, string> = {}): Promise<CliResult> {
  const command = line.replace(/\bnpx inlay\b/, `${JSON.stringify(process.execPath)} ${cliPath}`);
  return new Promise((done) => {
    execFile(
      '/bin/sh',
      ['-c', command],
      { cwd: repoRoot, env: { ...process.env, ...env } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        done({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** The flights demo's folder as the CLI is given it from the repo root (`npm start` gives the same). */
export const DEMO_PROJECT = 'examples/flights';

/** `runCli` on the flights demo: `--project examples/flights` after the command's own arguments. */
export function runDemo(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  return runCli([...args, '--project', DEMO_PROJECT], opts);
}
