import { relative } from 'node:path';
import { ModelErrors, securityGaps } from '@inlay/engine';
import { Command } from 'commander';
import { EXIT_ERROR } from './errors.js';
import { loadModel, resolveProject } from './project.js';

export const GAP_ADVICE =
  'has no row-level rule and is not marked public: add an access_policy with row_level, or set `public: true` if it is meant to be open';

interface ValidateFlags {
  project?: string;
  strict?: boolean;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Compiles the models; prints every problem (exit 1) or a summary and the security gaps. */
export async function runValidate(flags: ValidateFlags): Promise<number> {
  const project = resolveProject(flags.project);
  const shown = relative(process.cwd(), project.dir) || '.';
  let model: Awaited<ReturnType<typeof loadModel>>;
  try {
    model = await loadModel(project);
  } catch (e) {
    if (!(e instanceof ModelErrors)) throw e;
    for (const err of e.errors) process.stderr.write(`${err.describe()}\n`);
    process.stderr.write(`\n${plural(e.errors.length, 'problem')} in the models of ${shown}.\n`);
    return EXIT_ERROR;
  }

  const out: string[] = [
    `Models in ${shown} compile: ${plural(model.cubes.size, 'cube')}, ${plural(model.views.size, 'view')}.`,
  ];
  const gaps = securityGaps(model);
  if (gaps.length === 0) {
    out.push('Security: every cube and view has a row-level rule or is marked public.');
  } else {
    out.push('', `${plural(gaps.length, 'security gap')}:`);
    for (const g of gaps) {
      const at = g.line ? `${g.file}:${g.line}` : g.file;
      out.push(`  ${at} ${g.kind} '${g.name}' ${GAP_ADVICE}`);
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return gaps.length > 0 && flags.strict ? EXIT_ERROR : 0;
}

export function validateCommand(): Command {
  return new Command('validate')
    .description('compile the models, report every problem, and list cubes and views open to everyone')
    .option(
      '-p, --project <dir>',
      'project folder with models/ (default: ./ if it has models/, else the flights demo)',
    )
    .option('--strict', 'exit 1 when a cube or view has no row-level rule and is not public')
    .action(async (flags: ValidateFlags) => {
      process.exitCode = await runValidate(flags);
    });
}
