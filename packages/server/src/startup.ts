import { resolve } from 'node:path';
import { InlayError, isInlayError } from '@inlay/core';
import { exampleConnection } from '@inlay/drivers';
import { compileModel, readModelDir } from '@inlay/engine';
import type { ServerConfig } from './config/index.js';
import { checkConnection } from './connections/types.js';
import { parsePresetFiles, readPresetDir } from './presets/parse.js';
import { type ModelFiles, openStore, type Store } from './store/index.js';
import {
  type ConnectionSpec,
  createStoreWorkspace,
  runProjectSetup,
  type Workspace,
} from './workspaces/index.js';

export const DEFAULT_WORKSPACE = 'default';
/** The admin every fresh server has, so the bootstrap API key acts for somebody. */
export const ADMIN_EMAIL = 'admin@localhost';

export interface RuntimeOptions {
  /** `INLAY_DATABASE_URL`: PostgreSQL for the metadata; SQLite in the data dir when absent. */
  databaseUrl?: string | undefined;
  /** The project folder: `models/`, `presets/`, `*.embeddable.yml` dashboards. */
  projectDir: string;
  /** The `default` connection seeded into a workspace that has none (the project's config). */
  connection?: ConnectionSpec;
  /**
   * The project's `setup` module (a path relative to the project, or a package specifier): its
   * `prepare` runs first on every start, and its connection is the seed when `connection` is absent.
   */
  setup?: string;
  /** Progress lines of the setup (a first build of demo data). */
  log?: (line: string) => void;
  /** The API key to register (the generated one on first start, or `INLAY_API_KEY`). */
  apiKey?: string | undefined;
  /** Warnings that must not stop the start (a short dev API key the store refuses). */
  warn?: (message: string) => void;
}

export interface Runtime {
  store: Store;
  workspace: Workspace;
  /** The stored model version the workspace serves. */
  modelVersion: string;
}

/**
 * Runs the project's setup, then opens the metadata store and makes sure it holds what a fresh
 * server needs: the `default` workspace, the configured API key owned by an `admin` user, a
 * `default` connection (the project's) when the workspace has none, and the project's models as a
 * version. Data the setup is still preparing is the workspace's `dataPreparation`.
 */
export async function openRuntime(config: ServerConfig, options: RuntimeOptions): Promise<Runtime> {
  const projectDir = resolve(options.projectDir);
  // Before any connection opens: the setup may build the data a stored connection reads. A build
  // it leaves running (`ready`) is not awaited: the workspace opens no driver before it is done.
  const prepared = options.setup
    ? await runProjectSetup(projectDir, options.setup, {
        dataDir: config.dataDir,
        ...(options.log ? { log: options.log } : {}),
      })
    : {};
  const seed = options.connection ?? prepared.connection;
  const store = options.databaseUrl
    ? await openStore(options.databaseUrl, { secretKey: config.secretKey })
    : await openStore({ dataDir: config.dataDir }, { secretKey: config.secretKey });
  try {
    const ws = (await store.workspaces.ensure({ id: DEFAULT_WORKSPACE, name: 'Default' })).id;
    if (options.apiKey) await registerApiKey(store, ws, options.apiKey, options.warn);
    await ensureAdmin(store, ws, options.apiKey, options.warn);

    if ((await store.connections.list(ws)).length === 0) {
      if (!seed) throw noConnection(projectDir);
      const checked = checkConnection(seed.type, seed.credentials);
      // Two replicas starting together: the loser's insert conflicts, and that is fine.
      await store.connections.create(ws, { name: 'default', ...checked }).catch(ignoreConflict);
    }

    const read = await readModelDir(projectDir);
    const yamlOnly = read.every((f) => f.content !== undefined);
    const files: ModelFiles = Object.fromEntries(
      read.filter((f) => f.content !== undefined).map((f) => [f.path, f.content!]),
    );
    const put = await store.modelVersions.put(ws, files, `project ${projectDir}`);
    // The project's "view as" presets, when it has any (a push may bring others later).
    const presetFiles = await readPresetDir(projectDir);
    if (presetFiles.length > 0) await store.workspaces.setPresets(ws, parsePresetFiles(presetFiles));
    // Project files that changed since the last start win; otherwise keep serving what was
    // current (a pushed bundle survives a restart).
    let modelVersion = await store.workspaces.currentModelVersion(ws);
    if (yamlOnly && (put.created || !modelVersion)) {
      await store.workspaces.setModelVersion(ws, put.version);
      modelVersion = put.version;
    }
    const workspace = createStoreWorkspace({
      store,
      workspaceId: ws,
      // `*.cube.js` models are objects, which the store cannot hold: serve them as read.
      ...(yamlOnly && modelVersion ? { modelVersion } : { loadModel: async () => compileModel(read) }),
      projectDir,
      ownsStore: true,
      ...(prepared.ready ? { dataReady: prepared.ready } : {}),
    });
    return { store, workspace, modelVersion: modelVersion ?? put.version };
  } catch (e) {
    await store.close();
    throw e;
  }
}

function noConnection(projectDir: string): InlayError {
  return new InlayError(
    'CONFIG',
    `the project at ${projectDir} names no connection, and the server has none.`,
    {
      hint: `Add inlay.config.json with ${exampleConnection()}, or a "setup" module whose prepare() returns one (as examples/flights does).`,
    },
  );
}

function ignoreConflict(e: unknown): void {
  if (!(isInlayError(e) && e.code === 'CONFLICT')) throw e;
}

async function registerApiKey(
  store: Store,
  ws: string,
  key: string,
  warn?: (m: string) => void,
): Promise<void> {
  if (await store.apiKeys.verify(key)) return;
  try {
    await store.apiKeys.create(ws, { key });
  } catch (e) {
    if (e instanceof RangeError) warn?.(`API key not registered in the store: ${e.message}`);
    else ignoreConflict(e);
  }
}

/**
 * The workspace's `admin@localhost` user (created once, never re-enabled or re-roled), and the
 * bootstrap key linked to it when the key is a live key of this workspace. One transaction, so a
 * start that fails half-way leaves neither the user nor the link behind.
 */
export async function ensureAdmin(
  store: Store,
  ws: string,
  apiKey: string | undefined,
  warn?: (m: string) => void,
): Promise<void> {
  await store.transaction(async (tx) => {
    const admin = await tx.users.ensure(ws, { email: ADMIN_EMAIL, role: 'admin', displayName: 'Admin' });
    if (!apiKey) return;
    if ((await tx.apiKeys.verify(apiKey))?.id !== ws) return;
    if (admin.disabledAt) {
      warn?.(`user ${ADMIN_EMAIL} is disabled: the configured API key is not linked to any user`);
      return;
    }
    await tx.users.linkApiKey(ws, admin.id, { key: apiKey });
  });
}
