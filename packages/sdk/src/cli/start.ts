import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { compileQuery, runQuery, type SemanticModel } from '@inlay/engine';
import { AIRPORT_ROWS, FLIGHT_ROWS } from '@inlay/example-flights';
import { Command } from 'commander';
import { columnsOf, renderTable } from './output.js';
import { chooseConnection, defaultDataDir, loadModel, openDriver, resolveProject } from './project.js';

interface StartFlags {
  port?: string;
  dataDir?: string;
  project?: string;
}

export const DEFAULT_PORT = 4000;

/** The sample `start` runs, and the commands it suggests (each works as printed from the repo root). */
export const DEMO_SAMPLE = {
  title: 'flights per origin state, busiest first',
  query: {
    measures: ['flights.count', 'flights.avg_delay'],
    dimensions: ['airports.state'],
    order: { 'flights.count': 'desc' },
    limit: 5,
  },
};

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function demoExamples(prefix: string, suffix: string): string[] {
  const q = (o: unknown) => shellQuote(JSON.stringify(o));
  return [
    `${prefix}npx inlay query ${q(DEMO_SAMPLE.query)} --roles admin${suffix}`,
    `${prefix}npx inlay query ${q({ measures: ['flights.count', 'flights.delayed_ratio'], dimensions: ['flights.origin'], limit: 5 })} --security-context '{"states":["CA"]}'${suffix}`,
    `${prefix}npx inlay query ${q({ measures: ['flights.count'], timeDimensions: [{ dimension: 'flights.date', granularity: 'month' }] })} --security-context '{"states":["NY"]}' --sql${suffix}`,
  ];
}

/** Relative to the working directory when inside it, else absolute. */
function shortPath(p: string): string {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') && !isAbsolute(r) ? r : p;
}

function summary(model: SemanticModel): string {
  const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  return `${n(model.cubes.size, 'cube')}, ${n(model.views.size, 'view')}`;
}

export async function runStart(flags: StartFlags): Promise<void> {
  const project = resolveProject(flags.project);
  const port = flags.port ?? String(process.env.INLAY_PORT || DEFAULT_PORT);
  const dataDir = flags.dataDir ? resolve(flags.dataDir) : defaultDataDir();
  const model = await loadModel(project);
  const choice = chooseConnection(project, undefined, dataDir);
  const log = (line = '') => process.stdout.write(`${line}\n`);

  if (choice.demoDataDir && !existsSync(join(choice.demoDataDir, 'flights.duckdb'))) {
    log(`Preparing the flights demo data in ${choice.demoDataDir} (first run only, ~10 s)…`);
  }
  const { driver, label } = await openDriver(choice);
  try {
    await driver.test();
    const shownProject = relative(process.cwd(), project.dir) || '.';
    log(project.isFlightsDemo ? 'Inlay — the flights demo' : `Inlay — ${shownProject}`);
    log();
    log(`Models: ${shownProject} (${summary(model)})`);
    log(
      project.isFlightsDemo
        ? `Data:   ${label} (DuckDB; ${FLIGHT_ROWS.toLocaleString('en-US')} flights, ${AIRPORT_ROWS.toLocaleString('en-US')} airports)`
        : `Data:   ${label} (${choice.type})`,
    );
    log();
    log(`The HTTP API (/api/v1/load, security tokens, the builder, embedding) arrives with the server;`);
    log(`nothing listens on port ${port} yet. Until then, query the models from the command line:`);
    log();
    if (project.isFlightsDemo) {
      const envPrefix =
        resolve(dataDir) === resolve('.inlay') ? '' : `INLAY_DATA_DIR=${shellQuote(shortPath(dataDir))} `;
      const projectFlag = flags.project ? ` --project ${shellQuote(flags.project)}` : '';
      for (const line of demoExamples(envPrefix, projectFlag)) log(`  ${line}`);
      log();
      log(`Sample query (role admin): ${DEMO_SAMPLE.title}`);
      const security = { roles: ['admin'] };
      const columns = columnsOf(
        compileQuery(model, DEMO_SAMPLE.query, { dialect: driver.dialect, security }),
      );
      const response = await runQuery(model, driver, DEMO_SAMPLE.query, { security });
      log(renderTable(columns, response.data));
    } else {
      const projectFlag = flags.project ? ` --project ${shellQuote(flags.project)}` : '';
      log(`  npx inlay validate${projectFlag}`);
      log(`  npx inlay query '{"measures":["<cube>.<measure>"]}' --security-context '{…}'${projectFlag}`);
    }
  } finally {
    await driver.close();
  }
}

export function startCommand(): Command {
  return new Command('start')
    .description(
      'prepare the demo data, compile the models and show how to query them (the HTTP server comes later)',
    )
    .option(
      '--port <port>',
      `port for the HTTP API once the server lands (default $INLAY_PORT or ${DEFAULT_PORT})`,
    )
    .option('--data-dir <dir>', 'where the demo data lives (default $INLAY_DATA_DIR or ./.inlay)')
    .option(
      '-p, --project <dir>',
      'project folder with models/ (default: ./ if it has models/, else the flights demo)',
    )
    .action((flags: StartFlags) => runStart(flags));
}
