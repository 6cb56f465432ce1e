import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { Command } from 'commander';
import type { BuiltFile } from '../build/index.js';
import { EXIT_ERROR, UsageError } from './errors.js';

interface BuildFlags {
  project?: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const kib = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`);

/** Type-checks, validates and bundles; prints every problem (exit 1) or what was written. */
export async function runBuild(flags: BuildFlags): Promise<number> {
  const dir = resolve(flags.project ?? '.');

  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`--project ${flags.project ?? '.'}: no such folder (${dir}).`);
  }
  const shown = relative(process.cwd(), dir) || '.';
  // Loaded here, not with the program: every other command (a `start`) would load esbuild too.
  const { buildProject, formatProblem } = await import('../build/index.js');
  const outcome = await buildProject(dir);
  if (!outcome.ok) {
    for (const p of outcome.problems) process.stderr.write(`${formatProblem(p, dir)}\n`);
    process.stderr.write(
      `\n${plural(outcome.problems.length, 'problem')} in ${shown}; nothing was written (${outcome.ms} ms).\n`,
    );
    return EXIT_ERROR;
  }
  const { manifest, files } = outcome;
  const size = (list: BuiltFile[]) => list.reduce((n, f) => n + f.gzipBytes, 0);
  const byFile = new Map(files.map((f) => [f.file, f]));
  const lines = [
    `Built ${plural(manifest.components.length, 'component')} into ${relative(process.cwd(), outcome.outDir) || outcome.outDir} in ${outcome.ms} ms: ${plural(files.length, 'file')}, ${kib(size(files))} gzipped.`,
  ];
  for (const c of manifest.components) {
    const own = [c.file, ...c.imports].flatMap((f) => byFile.get(f) ?? []);
    lines.push(`  ${c.name.padEnd(24)} ${c.file}  ${kib(size(own))} gz with its imports`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

export function buildCommand(): Command {
  return new Command('build')
    .description(
      'type-check the project, validate models, components and dashboards, and bundle the components into .inlay-build/',
    )
    .option('-p, --project <dir>', 'project folder (default: the current folder)')
    .action(async (flags: BuildFlags) => {
      process.exitCode = await runBuild(flags);
    });
}
