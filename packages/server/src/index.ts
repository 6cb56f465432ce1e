import { resolve } from 'node:path';
import pino from 'pino';
import { ensureFirstAdmin, type FirstAdmin } from './accounts/bootstrap.js';
import { type BuildAppOptions, buildApp, type InlayApp } from './app.js';
import { type ConfigOverrides, loadConfig, type ServerConfig } from './config/index.js';
import { loadDashboards } from './dashboards/index.js';
import { capYoungGeneration } from './limits/young-generation.js';
import { checkReadiness } from './plugins/health.js';
import { preaggsScheduleFromEnv } from './preaggs/index.js';
import { DEMO_DASHBOARD } from './routes/demo.js';
import { openRuntime } from './startup.js';
import type { ConnectionSpec, Workspace } from './workspaces/index.js';

export { type BuildAppOptions, buildApp, type InlayApp } from './app.js';
export {
  type ConfigOverrides,
  hashApiKey,
  loadConfig,
  parseSecretKey,
  type ServerConfig,
} from './config/index.js';
export type { RouteAuth, RouteEntry } from './plugins/auth.js';
export { REDACT_PATHS } from './plugins/logging.js';
export { createDevEventHub, type DevEventHub, devEventRoutes } from './routes/dev-events.js';
export { describeModel } from './routes/meta.js';
export { DEFAULT_WORKSPACE, openRuntime, type Runtime, type RuntimeOptions } from './startup.js';
export { openPreaggsRuntime, type PreaggsRuntime, type PreaggsRuntimeOptions } from './worker.js';
export {
  type ConnectionSpec,
  createProjectWorkspace,
  createStoreWorkspace,
  type DataPreparation,
  type PreparedProject,
  type ProjectSetup,
  runProjectSetup,
  type SourceConnection,
  type SourceMap,
  type StoreWorkspaceOptions,
  type Workspace,
} from './workspaces/index.js';

export interface StartOptions extends ConfigOverrides {
  env?: NodeJS.ProcessEnv;
  /** The project folder (`models/`, dashboards, presets); the current folder by default. */
  projectDir?: string;
  /** The `default` connection seeded into a fresh store (the project's config). */
  connection?: ConnectionSpec;
  /** The project's `setup` module, run before connections open (`RuntimeOptions.setup`). */
  setup?: string;
  /** Where the banner goes (stdout by default); logs go to stderr. */
  print?: (line: string) => void;
  /** Stop gracefully on SIGTERM/SIGINT and exit; on by default. */
  handleSignals?: boolean;
  logger?: BuildAppOptions['logger'];
  /** More routes (`inlay dev`'s event stream). */
  routes?: BuildAppOptions['routes'];
}

export interface RunningServer {
  app: InlayApp;
  url: string;
  config: ServerConfig;
  /** The served model, compiled once by the start (a banner need not read the files again). */
  getModel(): ReturnType<Workspace['getModel']>;
  /** Stops accepting, lets in-flight requests finish, closes the drivers. */
  close(): Promise<void>;
}

/**
 * Log lines to stderr, written asynchronously in batches: lines queue until 8 KiB or 200 ms have
 * gathered, so a busy server makes one write per batch instead of one blocking write per request
 * (that alone halved the throughput of cached answers), and a quiet one shows each line within
 * 200 ms. Whatever is queued is written before the process exits.
 */
function stderrLog(): { write(line: string): void } {
  const destination = pino.destination({ dest: 2, sync: false, minLength: 8192, periodicFlush: 200 });
  process.once('exit', () => {
    try {
      destination.flushSync();
    } catch {
      // Nothing more can be done about a log that cannot be written while exiting.
    }
  });
  return destination;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const config = loadConfig(options.env ?? process.env, options);
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const env = options.env ?? process.env;
  const projectDir = resolve(options.projectDir ?? process.cwd());
  // Metadata store: workspace, API key, `default` connection and the project's models as a version.
  const { store, workspace } = await openRuntime(config, {
    projectDir,
    log: print,
    databaseUrl: env.INLAY_DATABASE_URL || undefined,
    apiKey: config.generatedApiKey ?? (env.INLAY_API_KEY || undefined),
    warn: (message) => process.stderr.write(`${JSON.stringify({ level: 40, msg: message })}\n`),
    ...(options.connection ? { connection: options.connection } : {}),
    ...(options.setup ? { setup: options.setup } : {}),
  });
  // `/demo` embeds the flights demo's dashboard: only with a project that has it. (A broken
  // dashboard file fails the start below, with its own message.)
  const demoServed =
    config.demoEnabled &&
    (await loadDashboards(projectDir).then(
      (catalog) => catalog.find(DEMO_DASHBOARD) !== undefined,
      () => false,
    ));
  // Logs to stderr so stdout stays the human banner (and the one-time API key).
  const app = buildApp({
    config,
    workspace,
    store,
    // Rollups build in this process unless INLAY_PREAGGS_WORKER=external (then `inlay worker` does);
    // INLAY_PREAGGS=off serves none (every answer from L1 or the database).
    ...(config.preaggsEnabled
      ? { preaggs: { dataDir: config.dataDir, schedule: preaggsScheduleFromEnv(env) } }
      : {}),
    logger: options.logger ?? { level: config.logLevel, stream: stderrLog() },
    demo: demoServed,
    ...(options.routes ? { routes: options.routes } : {}),
  });
  // Data the project's setup is still preparing (a first start's demo build): the server answers
  // meanwhile, and whatever needs a driver waits for it.
  const preparation = workspace.dataPreparation;
  let firstAdmin: FirstAdmin;
  try {
    // Somebody can sign in to the builder, or a link to sign up the first admin is printed below.
    firstAdmin = await ensureFirstAdmin(store, workspace.id, config.firstAdmin);
    // Compile and connect before listening: a broken model fails the start, not the first request.
    // (Data still being prepared is connected to once it is there, below.)
    await workspace.getModel();
    if (!preparation) await (await workspace.getDriver('default')).test();
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await app.close();
    throw err;
  }
  let closing: Promise<void> | undefined;
  // The other data sources may come up later, so they do not fail the start: a warning per one
  // that is down now (each test bounded by READY_TEST_TIMEOUT_MS), and /readyz answers 503 until
  // it answers.
  if (!preparation) await checkReadiness(workspace, app.log);
  else {
    void preparation.done.then(
      () => (closing ? undefined : checkReadiness(workspace, app.log)),
      (err) =>
        app.log.error(
          { err },
          "the project's setup failed to prepare its data: queries fail until a restart",
        ),
    );
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;

  print(`Inlay server listening on ${url}`);
  print(`Data dir:  ${config.dataDir}`);
  print(`API docs:  ${url}/docs`);
  if (demoServed)
    print(`Demo:      ${url}/demo  (an embedded dashboard for three customers; INLAY_DEMO=off hides it)`);
  if (firstAdmin.kind === 'created') print(`Builder:   ${url}/  (sign in as ${firstAdmin.email})`);
  else if (firstAdmin.kind === 'link') {
    print('');
    print(`Nobody can sign in to the builder yet. Create the first admin (one-time link, valid 24 h):`);
    print(`  ${url}/sign-up?token=${firstAdmin.token}`);
    print('(or start with INLAY_ADMIN_EMAIL and INLAY_ADMIN_PASSWORD set)');
  } else print(`Builder:   ${url}/`);
  if (config.generatedApiKey) {
    print('');
    print(`API key (shown once, only its hash is stored): ${config.generatedApiKey}`);
    print('');
  }

  const uncapYoungGeneration = capYoungGeneration();
  const close = () => {
    closing ??= app.close().finally(uncapYoungGeneration);
    return closing;
  };
  if (options.handleSignals ?? true) {
    const onSignal = (signal: NodeJS.Signals) => {
      if (closing) {
        // A second signal means "now": do not wait for slow queries.
        process.exit(1);
      }
      app.log.info({ signal }, 'shutting down');
      // In-flight queries stop at the query timeout; past that, something is stuck.
      setTimeout(() => process.exit(1), config.queryTimeoutMs + 5_000).unref();
      close().then(
        () => process.exit(0),
        (err) => {
          app.log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }
  return { app, url, config, close, getModel: () => workspace.getModel() };
}
export {
  createPreaggs,
  jsonLogger,
  type Preaggs,
  preaggsScheduleFromEnv,
  type RollupBuildReport,
  type RollupStatus,
} from './preaggs/index.js';
