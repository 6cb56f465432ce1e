import { resolve } from 'node:path';
import { startServer } from '@inlay/server';
import { Command } from 'commander';
import { UsageError } from './errors.js';
import { configuredConnection, defaultDataDir, resolveProject } from './project.js';

interface StartFlags {
  port?: string;
  dataDir?: string;
  project?: string;
}

export const DEFAULT_PORT = 4000;

/** A query the banner suggests trying with curl, when the project has the flights demo's cubes. */
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

  // The server runs the project's setup (the demo builds its DuckDB file) before it connects.
  const choice = configuredConnection(project);
  const server = await startServer({
    dataDir,
    projectDir: project.dir,
    ...(port !== undefined ? { port } : {}),
    ...(choice ? { connection: { type: choice.type, credentials: choice.credentials } } : {}),
    ...(project.config.setup ? { setup: project.config.setup } : {}),
  });
  const { cubes } = await server.getModel();
  if (cubes.has('flights') && cubes.has('airports')) {
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
    .description('serve the HTTP API on a project (the current folder by default) until stopped')
    .option('--port <port>', `HTTP port (default $INLAY_PORT or ${DEFAULT_PORT}; 0 picks a free one)`)
    .option('--data-dir <dir>', 'data dir: secrets in dev, demo data (default $INLAY_DATA_DIR or ./.inlay)')
    .option(
      '-p, --project <dir>',
      'project folder with models/ (default: the current folder; the demo: examples/flights)',
    )
    .action((flags: StartFlags) => runStart(flags));
}
