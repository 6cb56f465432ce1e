import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureFlightsDuckDB } from '@inlay/example-flights';
import { startServer } from '@inlay/server';
import { Command } from 'commander';
import { UsageError } from './errors.js';
import { chooseConnection, defaultDataDir, resolveProject } from './project.js';

interface StartFlags {
  port?: string;
  dataDir?: string;
  project?: string;
}

export const DEFAULT_PORT = 4000;

/** A query the banner suggests trying with curl (the flights demo). */
export const DEMO_SAMPLE = {
  query: {
    measures: ['flights.count', 'flights.avg_delay'],
    dimensions: ['airports.state'],
    order: { 'flights.count': 'desc' },
    limit: 5,
  },
  roles: ['admin'],
};

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) {
    throw new UsageError(`--port ${text}: must be a port number (0–65535).`);
  }
  return n;
}

/** Serves the HTTP API until SIGTERM/SIGINT; the server prints its URL, data dir and (once) the API key. */
export async function runStart(flags: StartFlags): Promise<void> {
  const project = resolveProject(flags.project);
  const port = parsePort(flags.port);
  const dataDir = flags.dataDir ? resolve(flags.dataDir) : defaultDataDir();
  const log = (line = '') => process.stdout.write(`${line}\n`);

  // The demo reads its own DuckDB file; any other project names its connection in inlay.config.json.
  const choice = project.isFlightsDemo ? undefined : chooseConnection(project, undefined, dataDir);
  if ((project.isFlightsDemo || choice?.demoDataDir) && !existsSync(join(dataDir, 'flights.duckdb'))) {
    log(`Preparing the flights demo data in ${dataDir} (first run only, ~10 s)…`);
  }
  // A project on the demo data (`demo: 'flights'`, as `inlay init` writes) gets the file as its
  // connection, so it must exist before the server opens it read-only.
  if (choice?.demoDataDir) await ensureFlightsDuckDB(choice.demoDataDir);
  const server = await startServer({
    dataDir,
    projectDir: project.dir,
    ...(port !== undefined ? { port } : {}),
    ...(choice ? { connection: { type: choice.type, credentials: choice.credentials } } : {}),
  });
  if (project.isFlightsDemo) {
    log('Try it (after: export INLAY_API_KEY=<the key printed on first start>):');
    log(
      `  curl -s ${server.url}/api/v1/load -H "Authorization: Bearer $INLAY_API_KEY" -H 'content-type: application/json' -d '${JSON.stringify(DEMO_SAMPLE)}'`,
    );
    log(`  curl -s ${server.url}/api/v1/meta -H "Authorization: Bearer $INLAY_API_KEY"`);
  }
  log('Press Ctrl+C to stop.');
}

export function startCommand(): Command {
  return new Command('start')
    .description('serve the HTTP API (the flights demo unless the project has models/) until stopped')
    .option('--port <port>', `HTTP port (default $INLAY_PORT or ${DEFAULT_PORT}; 0 picks a free one)`)
    .option('--data-dir <dir>', 'data dir: secrets in dev, demo data (default $INLAY_DATA_DIR or ./.inlay)')
    .option(
      '-p, --project <dir>',
      'project folder with models/ (default: ./ if it has models/, else the flights demo)',
    )
    .action((flags: StartFlags) => runStart(flags));
}
