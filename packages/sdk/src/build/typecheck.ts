import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BuildProblem } from './problems.js';

/**
 * Type-checks a project with `tsc --noEmit`: the project's own TypeScript when it has one (the
 * version its editor shows errors with), else ours. TypeScript 7's compiler is a native binary with
 * no stable in-process API yet, so the diagnostics come from its machine-readable output
 * (`--pretty false`: `file(line,col): error TS1234: message`, continuation lines indented).
 */

/** For a project without `tsconfig.json`: what a component written for Inlay needs. */
const DEFAULT_OPTIONS = [
  '--strict',
  '--skipLibCheck',
  '--target',
  'es2022',
  '--lib',
  'es2023,dom',
  '--module',
  'preserve',
  '--moduleResolution',
  'bundler',
  '--jsx',
  'react-jsx',
];

function tscOf(projectDir: string): string {
  for (const from of [join(projectDir, 'package.json'), import.meta.url]) {
    try {
      const pkg = createRequire(from).resolve('typescript/package.json');
      return join(dirname(pkg), 'bin', 'tsc');
    } catch {
      // Not installed there: try the next place.
    }
  }
  throw new Error('TypeScript is not installed: run `npm install --save-dev typescript` in the project.');
}

const DIAGNOSTIC = /^(.+?)\((\d+),(\d+)\): (error|warning) (TS\d+): (.*)$/;

export function parseTscOutput(output: string): BuildProblem[] {
  const problems: BuildProblem[] = [];
  for (const line of output.split(/\r?\n/)) {
    const m = DIAGNOSTIC.exec(line);
    if (m) {
      problems.push({ file: m[1]!, line: Number(m[2]), column: Number(m[3]), message: `${m[6]} (${m[5]})` });
    } else if (/^\s+\S/.test(line) && problems.length) {
      problems[problems.length - 1]!.message += `\n    ${line.trim()}`;
    } else if (line.trim()) {
      problems.push({ message: line.trim() });
    }
  }
  return problems;
}

/** Every type error, paths relative to the project; `files` are checked when there is no tsconfig. */
export function typeCheck(projectDir: string, files: string[]): Promise<BuildProblem[]> {
  const args = existsSync(join(projectDir, 'tsconfig.json'))
    ? ['-p', 'tsconfig.json']
    : [...DEFAULT_OPTIONS, ...files];
  if (args.length === DEFAULT_OPTIONS.length) return Promise.resolve([]);
  const tsc = tscOf(projectDir);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [tsc, '--noEmit', '--pretty', 'false', ...args],
      { cwd: projectDir, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        const problems = parseTscOutput(`${stdout}\n${stderr}`);
        // A failing exit with nothing we could read still fails the build.
        if (err && problems.length === 0) problems.push({ message: `tsc exited with code ${err.code}` });
        resolve(problems);
      },
    );
  });
}
