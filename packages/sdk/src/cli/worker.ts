import { resolve } from 'node:path';
import { jsonLogger, openPreaggsRuntime } from '@inlay/server';
import { Command } from 'commander';
import { defaultDataDir } from './project.js';

interface WorkerFlags {
  dataDir?: string;
}

/**
 * Builds and refreshes every workspace's pre-aggregations until SIGTERM/SIGINT, next to servers
 * started with `INLAY_PREAGGS_WORKER=external` (same metadata store, secret key and data dir).
 */
export async function runWorker(flags: WorkerFlags): Promise<void> {
  const dataDir = flags.dataDir ? resolve(flags.dataDir) : defaultDataDir();
  const runtime = await openPreaggsRuntime({
    dataDir,
    schedule: true,
    logger: jsonLogger((line) => process.stderr.write(line)),
  });
  // The scheduler's timers do not hold the process open (servers close on their own): this does.
  const alive = setInterval(() => {}, 1 << 30);
  try {
    await runtime.preaggs.start();
    const out = (line: string) => process.stdout.write(`${line}\n`);
    out(`Inlay pre-aggregation worker: metadata ${runtime.describeStore}`);
    out(`Rollup files: ${resolve(runtime.dataDir, 'preaggs')} (the servers must read the same folder)`);
    out('Building every workspace’s rollups now, then on their refresh keys. Ctrl+C or SIGTERM stops.');
    await new Promise<void>((done) => {
      const stop = (signal: NodeJS.Signals) => {
        process.stderr.write(
          `${JSON.stringify({ level: 30, time: Date.now(), signal, msg: 'worker stopping' })}\n`,
        );
        // A second signal means "now": a build in progress is abandoned (its lease runs out).
        process.once(signal, () => process.exit(1));
        done();
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
  } finally {
    clearInterval(alive);
    await runtime.close();
  }
}

export function workerCommand(): Command {
  return new Command('worker')
    .description(
      'build and refresh pre-aggregations (rollups) until stopped; servers then run with INLAY_PREAGGS_WORKER=external',
    )
    .option(
      '--data-dir <dir>',
      'the servers’ data dir: secret key, SQLite store, rollup files (default $INLAY_DATA_DIR or ./.inlay)',
    )
    .action((flags: WorkerFlags) => runWorker(flags));
}
