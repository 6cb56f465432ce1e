import { Command } from 'commander';
import { buildCommand } from './build.js';
import { devCommand } from './dev.js';
import { reportError } from './errors.js';
import { initCommand } from './init.js';
import { preaggsCommand } from './preaggs.js';
import { pushCommand } from './push.js';
import { queryCommand } from './query.js';
import { startCommand } from './start.js';
import { tokenCommand } from './token.js';
import { validateCommand } from './validate.js';
import { workerCommand } from './worker.js';

/** The `inlay` program; every subcommand shares exit codes (1 error, 2 usage) and error output. */
export function buildProgram(): Command {
  const program = new Command('inlay')
    .description('Inlay: Cube-compatible models, row-level security and embedded analytics')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const cmd of [
    initCommand(),
    queryCommand(),
    validateCommand(),
    buildCommand(),
    devCommand(),
    startCommand(),
    pushCommand(),
    workerCommand(),
    preaggsCommand(),
    tokenCommand(),
  ]) {
    program.addCommand(cmd.exitOverride().showHelpAfterError('(run with --help for usage)'));
  }
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  // `inlay query … | head` closes the pipe early: stop quietly, as other Unix tools do.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    process.exitCode = reportError(err);
  }
}

await main();
