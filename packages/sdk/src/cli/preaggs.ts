import { resolve } from 'node:path';
import {
  DEFAULT_WORKSPACE,
  jsonLogger,
  openPreaggsRuntime,
  type PreaggsRuntime,
  type RollupBuildReport,
  type RollupStatus,
} from '@inlay/server';
import Table from 'cli-table3';
import { Command } from 'commander';
import { EXIT_ERROR } from './errors.js';
import { defaultDataDir } from './project.js';

interface CommonFlags {
  dataDir?: string;
  workspace?: string;
  json?: boolean;
}

interface BuildFlags extends CommonFlags {
  force?: boolean;
  environment?: string;
}

const out = (line = '') => process.stdout.write(`${line}\n`);

/** `3 s`, `4 min 10 s`, `2 h 5 min`, `3 d 4 h`: how stale a rollup may be, at a glance. */
export function age(ms: number | undefined): string {
  if (ms === undefined) return '';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

const ms = (n: number | undefined) =>
  n === undefined ? '' : n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(1)} s`;

async function withRuntime<T>(flags: CommonFlags, run: (r: PreaggsRuntime) => Promise<T>): Promise<T> {
  const runtime = await openPreaggsRuntime({
    dataDir: flags.dataDir ? resolve(flags.dataDir) : defaultDataDir(),
    schedule: false,
    // Build progress and errors as JSON lines on stderr; the summary goes to stdout.
    logger: jsonLogger((line) => process.stderr.write(line), flags.json ? 40 : 30),
  });
  try {
    return await run(runtime);
  } finally {
    await runtime.close();
  }
}

export function renderStatus(rows: RollupStatus[]): string {
  if (rows.length === 0) return 'No pre-aggregations: the served models define none.';
  const tty = process.stdout.isTTY === true;
  const table = new Table({
    head: ['rollup', 'environment', 'state', 'partitions', 'rows', 'age', 'build', 'last error'],
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: tty ? ['cyan'] : [], border: tty ? ['grey'] : [] },
  });
  for (const r of rows) {
    table.push([
      r.rollupId,
      r.environment,
      r.state,
      { content: `${r.builtPartitions}/${r.partitions}`, hAlign: 'right' },
      { content: String(r.rows), hAlign: 'right' },
      { content: age(r.ageMs), hAlign: 'right' },
      { content: ms(r.buildMs), hAlign: 'right' },
      (r.lastError ?? '').slice(0, 80),
    ]);
  }
  return table.toString();
}

export function renderBuild(reports: RollupBuildReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    const built = r.partitions.filter((p) => p.status === 'built');
    const rows = built.reduce((n, p) => n + (p.rows ?? 0), 0);
    lines.push(
      `${r.rollupId} (${r.environment}): ${built.length}/${r.partitions.length} partitions built, ${rows} rows, ${ms(r.ms)}`,
    );
    if (r.error) lines.push(`  error: ${r.error}`);
    for (const p of r.partitions) {
      const timing = p.status === 'built' ? `  query ${ms(p.queryMs)}, write ${ms(p.writeMs)}` : '';
      const detail = p.error ? `  ${p.error}` : p.reason ? `  (${p.reason})` : '';
      lines.push(
        `  ${p.partition.padEnd(12)} ${p.status.padEnd(6)} ${String(p.rows ?? '').padStart(9)}${timing}${detail}`,
      );
    }
  }
  return lines.join('\n');
}

export async function runStatus(flags: CommonFlags): Promise<void> {
  const rows = await withRuntime(flags, (r) => r.preaggs.status(flags.workspace ?? DEFAULT_WORKSPACE));
  out(flags.json ? JSON.stringify(rows, null, 2) : renderStatus(rows));
}

export async function runBuild(rollupId: string | undefined, flags: BuildFlags): Promise<void> {
  const reports = await withRuntime(flags, (r) =>
    r.preaggs.buildNow(flags.workspace ?? DEFAULT_WORKSPACE, {
      ...(rollupId ? { rollupId } : {}),
      ...(flags.environment ? { environment: flags.environment } : {}),
      force: flags.force === true,
    }),
  );
  out(flags.json ? JSON.stringify(reports, null, 2) : renderBuild(reports));
  const failed = reports.some(
    (r) => r.error || r.partitions.some((p) => p.status === 'failed' || p.status === 'lost'),
  );
  if (failed) process.exitCode = EXIT_ERROR;
}

export function preaggsCommand(): Command {
  const common = (c: Command) =>
    c
      .option('--data-dir <dir>', 'the servers’ data dir (default $INLAY_DATA_DIR or ./.inlay)')
      .option('--workspace <id>', `workspace id (default ${DEFAULT_WORKSPACE})`)
      .option('--json', 'print JSON instead of a table')
      .exitOverride()
      .showHelpAfterError('(run with --help for usage)');
  const cmd = new Command('preaggs').description(
    'pre-aggregations (rollups) in the metadata store: what is built, and building now',
  );
  cmd.addCommand(
    common(new Command('status'))
      .description('each rollup per environment: state, partitions, rows, age, last error')
      .action((flags: CommonFlags) => runStatus(flags)),
  );
  cmd.addCommand(
    common(new Command('build'))
      .description('build now (what is due, or everything with --force) and print timings')
      .argument('[rollupId]', 'one rollup, e.g. flights.by_month (default: all)')
      .option('--force', 'rebuild partitions that are still fresh')
      .option('--environment <name>', 'only this environment')
      .action((rollupId: string | undefined, flags: BuildFlags) => runBuild(rollupId, flags)),
  );
  return cmd;
}
