import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createDevEventHub, devEventRoutes, startServer } from '@inlay/server';
import { Command } from 'commander';
import { UsageError } from './errors.js';
import { configuredConnection, resolveProject } from './project.js';

interface DevFlags {
  project?: string;
  port?: string;
  connection?: string;
  typeCheck?: boolean;
}

/** Not `inlay start`'s 4000: both can run at once. */
export const DEV_PORT = 4100;
/** Under the project (the scaffold's .gitignore has `.inlay/`): dev data never mixes with a real server's. */
export const DEV_DATA_DIR = join('.inlay', 'dev');
const KEY_FILE = 'dev-api-key';

function parsePort(text: string | undefined): number {
  if (text === undefined) return Number(process.env.INLAY_PORT || DEV_PORT);
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) {
    throw new UsageError(`--port ${text}: must be a port number (0–65535).`);
  }
  return n;
}

/**
 * The key `inlay dev` pushes to its own server with: made once, kept in the data dir (mode 0600,
 * beside the server's own secret key, which already unlocks more than this key does) and never
 * printed. An ordinary workspace key, so the push goes through the same checks as any other.
 */
function devApiKey(dataDir: string): string {
  const file = join(dataDir, KEY_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = `inlay_dev_${randomBytes(32).toString('base64url')}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}

export async function runDev(flags: DevFlags): Promise<void> {
  const project = resolveProject(flags.project ?? '.');
  const port = parsePort(flags.port);
  const dataDir = resolve(project.dir, DEV_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const log = (line = '') => process.stdout.write(`${line}\n`);
  const shown = relative(process.cwd(), project.dir) || '.';

  const choice = configuredConnection(project, flags.connection);
  const apiKey = devApiKey(dataDir);
  const hub = createDevEventHub();
  const server = await startServer({
    dataDir,
    port,
    projectDir: project.dir,
    // The dev key only for this server: a key in the shell is for pushing elsewhere.
    env: { ...process.env, INLAY_API_KEY: apiKey },
    ...(choice ? { connection: { type: choice.type, credentials: choice.credentials } } : {}),
    ...(project.config.setup ? { setup: project.config.setup } : {}),
    routes: [devEventRoutes(hub)],
    handleSignals: false,
  });

  // Loaded here, not with the program: esbuild and chokidar are for `dev` alone.
  const [{ createDevLoop }, { watchProject }] = await Promise.all([
    import('../dev/loop.js'),
    import('../dev/watch.js'),
  ]);
  const loop = createDevLoop({
    dir: project.dir,
    server: new URL(server.url),
    apiKey,
    publish: hub.publish,
    log,
    typeCheck: flags.typeCheck !== false,
  });
  // The first build and push, so the builder has the components before anybody opens it.
  await loop.changed([]);
  const watcher = watchProject(project.dir, (paths) => void loop.changed(paths));
  await watcher.ready;
  log(`Watching ${shown}: models/, components/, presets/, *.embeddable.yml, inlay.config.ts.`);
  log(`Ready: open ${server.url}/ — saves rebuild, push and reload the builder. Ctrl+C stops.`);

  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1);
    stopping = true;
    void Promise.allSettled([watcher.close(), server.close()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

export function devCommand(): Command {
  return new Command('dev')
    .description(
      'serve the project with the builder on its own port; on each save rebuild, push and reload the open pages',
    )
    .option('-p, --project <dir>', 'project folder (default: the current folder)')
    .option('--port <port>', `HTTP port (default $INLAY_PORT or ${DEV_PORT}; 0 picks a free one)`)
    .option('--connection <url-or-file>', "the database (default: the project's inlay config)")
    .option('--no-type-check', 'skip the background type-check after each rebuild')
    .action((flags: DevFlags) => runDev(flags));
}
