import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { type Driver, InlayError } from '@inlay/core';
import {
  connectionOfUrl,
  connectionUrlForms,
  createDriver,
  DRIVER_TYPES,
  type DriverType,
  databasePlugin,
  describeTypes,
  driverType,
  exampleConnection,
  fieldsWhere,
  fileDatabase,
} from '@inlay/drivers';
import { compileModel, readModelDir, type SemanticModel } from '@inlay/engine';
import { runProjectSetup } from '@inlay/server';
import type { InlayConfig } from '../config.js';
import { UsageError } from './errors.js';

export const CONFIG_FILE = 'inlay.config.json';
/** `defineConfig({...})` as the default export; read before `inlay.config.json` when both exist. */
export const CONFIG_TS_FILE = 'inlay.config.ts';

export interface Project {
  /** Absolute path of the project folder (the one with `models/`). */
  dir: string;
  config: InlayConfig;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** `--project` resolved against the working directory; else the working directory, which must have `models/`. */
export function resolveProject(flag: string | undefined, cwd = process.cwd()): Project {
  let dir: string;
  if (flag !== undefined) {
    dir = resolve(cwd, flag);
    if (!isDir(dir)) throw new UsageError(`--project ${flag}: no such folder (${dir}).`);
  } else {
    dir = resolve(cwd);
    if (!isDir(join(dir, 'models'))) {
      throw new UsageError(
        `${dir} has no models/ folder: run inlay in a project folder, or pass --project <dir> (the demo: --project examples/flights).`,
      );
    }
  }
  return { dir, config: readConfig(dir) };
}

/**
 * Evaluates `inlay.config.ts` synchronously (tsx compiles it), so resolving a project stays
 * synchronous for every command. Its imports (`@inlay/sdk/config`) resolve from the project's
 * node_modules, which `npm install` fills.
 */
function evaluateConfigTs(file: string, where: { file: string }): unknown {
  let mod: { default?: unknown };
  try {
    // tsx (~17 MB) loads only for a project with an inlay.config.ts.
    const tsx = createRequire(import.meta.url)('tsx/cjs/api') as typeof import('tsx/cjs/api');
    mod = tsx.require(file, import.meta.url) as { default?: unknown };
  } catch (e) {
    const cannotFind = (e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
    throw new InlayError('CONFIG', `could not load it: ${(e as Error).message.split('\n')[0]}`, {
      where,
      ...(cannotFind ? { hint: 'Run `npm install` in the project folder first.' } : {}),
    });
  }
  if (mod.default === undefined) {
    throw new InlayError('CONFIG', 'it has no default export.', {
      where,
      hint: "Write `export default defineConfig({ … })`, with defineConfig from '@inlay/sdk/config'.",
    });
  }
  return mod.default;
}

function readConfig(dir: string): InlayConfig {
  const tsFile = join(dir, CONFIG_TS_FILE);
  const jsonFile = join(dir, CONFIG_FILE);
  const file = existsSync(tsFile) ? tsFile : jsonFile;
  if (!existsSync(file)) return {};
  const where = { file: relative(process.cwd(), file) || file };
  let raw: unknown;
  if (file === tsFile) {
    raw = evaluateConfigTs(file, where);
  } else {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new InlayError('CONFIG', `not valid JSON: ${(e as Error).message}.`, { where });
    }
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InlayError('CONFIG', 'the config must be an object ({ … }).', { where });
  }
  if ((raw as { demo?: unknown }).demo !== undefined) {
    throw new InlayError('CONFIG', '`demo` is no longer read: the demo data comes from a setup module.', {
      where,
      hint: "Replace `demo: 'flights'` with `setup: '@inlay/example-flights/setup'`.",
    });
  }
  const setup = (raw as { setup?: unknown }).setup;
  if (setup !== undefined && (typeof setup !== 'string' || setup === '')) {
    throw new InlayError(
      'CONFIG',
      `setup must be a module: a path or a package name, not ${JSON.stringify(setup)}.`,
      {
        where,
        hint: 'Example: { "setup": "./setup.ts" } (relative to the project folder) or "@inlay/example-flights/setup".',
      },
    );
  }
  const connection = (raw as { connection?: unknown }).connection;
  if (connection !== undefined) {
    const type = (connection as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || !driverType(type)) {
      throw new InlayError('CONFIG', `connection.type must be one of ${DRIVER_TYPES.join(', ')}.`, {
        where,
        hint: `Supported: ${describeTypes()}. Example: ${exampleConnection()}`,
      });
    }
  }
  return raw as InlayConfig;
}

/**
 * Reads and compiles the project's models. File names in errors are relative to the working
 * directory, so `models/x.cube.yml:12` can be opened from where the command ran.
 */
export async function loadModel(project: Project): Promise<SemanticModel> {
  const files = await readModelDir(project.dir);
  const cwd = process.cwd();
  return compileModel(files.map((f) => ({ ...f, path: relative(cwd, join(project.dir, f.path)) || f.path })));
}

/** Where the data comes from. */
export interface ConnectionChoice {
  type: DriverType;
  credentials: unknown;
  /** For people: the file or the database (password hidden). */
  label: string;
}

/** The data folder (files a project's setup builds, the server's store): `INLAY_DATA_DIR`, default `./.inlay`. */
export function defaultDataDir(): string {
  return resolve(process.env.INLAY_DATA_DIR || '.inlay');
}

function hidePassword(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/** `--connection`: a URL whose scheme names a database, else a file of the file database. */
function connectionOfFlag(flag: string): ConnectionChoice {
  const byUrl = connectionOfUrl(flag);
  if (byUrl) return { ...byUrl, label: hidePassword(flag) };
  const file = fileDatabase();
  const path = resolve(flag);
  if (!file || !existsSync(path)) {
    const what = file ? `no such ${file.plugin.label} file` : 'not a URL';
    throw new UsageError(
      `--connection ${flag}: ${what}; give a file path or a URL (${connectionUrlForms()}).`,
    );
  }
  return { type: file.plugin.type as DriverType, credentials: { [file.field]: path }, label: path };
}

/** The config's connection, its file paths resolved against the project folder. */
function connectionOfConfig(project: Project, type: string, given: object | undefined): ConnectionChoice {
  // readConfig checked the type, so an alias (postgresql) always resolves.
  const plugin = databasePlugin(type);
  const credentials: Record<string, unknown> = { ...given };
  const name = fieldsWhere(plugin, (f) => f.file)[0];
  if (name) {
    const path = credentials[name];
    if (typeof path !== 'string' || path === '') {
      throw new InlayError(
        'CONFIG',
        `connection.credentials.${name} is required for a ${plugin.label} connection.`,
        { where: { file: relative(process.cwd(), join(project.dir, CONFIG_FILE)) } },
      );
    }
    credentials[name] = resolve(project.dir, path);
    return { type: plugin.type as DriverType, credentials, label: credentials[name] as string };
  }
  const c = credentials as { url?: string; user?: string; host?: string; port?: unknown; database?: string };
  const label =
    typeof c.url === 'string'
      ? hidePassword(c.url)
      : `${plugin.type}://${c.user ?? ''}@${c.host ?? ''}${c.port ? `:${String(c.port)}` : ''}/${c.database ?? ''}`;
  return { type: plugin.type as DriverType, credentials, label };
}

/**
 * `--connection` (a URL whose scheme names a database, or a database file), else the config's
 * `connection`; undefined when neither names one. Decided without touching a database.
 */
export function configuredConnection(project: Project, flag?: string): ConnectionChoice | undefined {
  if (flag !== undefined) return connectionOfFlag(flag);
  const c = project.config.connection;
  return c ? connectionOfConfig(project, c.type, c.credentials) : undefined;
}

/**
 * `configuredConnection`, else the connection the project's `setup` module offers. The setup runs
 * first whenever the config names one (as the server runs it on start): it may build the data
 * the connection reads, the flights demo's DuckDB file on first use. The CLI queries at once, so
 * a build the setup leaves running (its `ready`) is awaited here.
 */
export async function chooseConnection(
  project: Project,
  flag?: string,
  options: { dataDir?: string; log?: (line: string) => void } = {},
): Promise<ConnectionChoice> {
  const configured = configuredConnection(project, flag);
  if (configured && flag !== undefined) return configured;
  const setup = project.config.setup;
  const prepared = setup
    ? await runProjectSetup(project.dir, setup, {
        dataDir: options.dataDir ?? defaultDataDir(),
        ...(options.log ? { log: options.log } : {}),
      })
    : {};
  await prepared.ready;
  if (configured) return configured;
  const offered = prepared.connection;
  if (offered) {
    const type = driverType(offered.type);
    if (!type) {
      throw new InlayError(
        'CONFIG',
        `the setup '${setup}' offered a connection of unknown type '${offered.type}'.`,
        { hint: `Supported: ${describeTypes()}.` },
      );
    }
    const file = fieldsWhere(databasePlugin(type), (f) => f.file)[0];
    const path = file ? (offered.credentials as Record<string, unknown> | undefined)?.[file] : undefined;
    return { type, credentials: offered.credentials, label: typeof path === 'string' ? path : type };
  }
  throw new InlayError('CONFIG', `the project at ${project.dir} has no connection.`, {
    hint: `Add ${CONFIG_FILE} with ${exampleConnection()} (or { "setup": "@inlay/example-flights/setup" } for the demo data), or pass --connection <url-or-file>.`,
  });
}

/** Opens a read-only driver on the chosen connection. */
export function openDriver(choice: ConnectionChoice): { driver: Driver; label: string } {
  const driver = createDriver(choice.type, choice.credentials, { readOnly: true });
  return { driver, label: choice.label };
}
