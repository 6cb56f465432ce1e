import { compileModel, type ModelFile, readModelDir } from '@inlay/engine';
import { flightsProjectDir, testDataPaths } from '@inlay/example-flights';
import type { BuildAppOptions } from '../src/app.js';
import { buildApp, createStoreWorkspace, hashApiKey, type InlayApp } from '../src/index.js';
import type { Store } from '../src/store/index.js';
import { API_KEY, AUTH } from './helpers.js';
import { type BackendName, SECRET_KEY, testPlace } from './store/helpers.js';

export interface StoreTestApp {
  app: InlayApp;
  store: Store;
  workspaceId: string;
  /** Every JSON log line written so far. */
  logs: string[];
  /** Closes the app and drops the metadata database. */
  close(): Promise<void>;
}

/**
 * The app on a store-backed workspace in a fresh metadata database (SQLite temp dir or a random
 * PostgreSQL schema), with a `default` DuckDB connection to the test flights file.
 */
export async function storeTestApp(
  backend: BackendName,
  extra: {
    config?: Partial<BuildAppOptions['config']>;
    now?: () => number;
    /** Model files to serve instead of the flights project's. */
    files?: ModelFile[];
    /** L2 pre-aggregations under this folder, built in the background from the start. */
    preaggsDir?: string;
    /** The log level (default `debug`, so tests see every line); `info` is production's. */
    logLevel?: string;
  } = {},
): Promise<StoreTestApp> {
  const place = testPlace(backend);
  const store = await place.open();
  const workspaceId = (await store.workspaces.create({ name: 'test' })).id;
  await store.connections.create(workspaceId, {
    name: 'default',
    type: 'duckdb',
    credentials: { path: testDataPaths().duckdbPath },
  });
  const files = extra.files ?? (await readModelDir(flightsProjectDir));
  const logs: string[] = [];
  const workspace = createStoreWorkspace({
    store,
    workspaceId,
    projectDir: flightsProjectDir,
    loadModel: async () => compileModel(files),
  });
  const app = buildApp({
    config: {
      apiKeyHash: hashApiKey(API_KEY),
      secretKey: SECRET_KEY,
      maxBodyBytes: 1024 * 1024,
      queryTimeoutMs: 30_000,
      maxRows: 50_000,
      ...extra.config,
    },
    workspace,
    store,
    ...(extra.now ? { now: extra.now } : {}),
    ...(extra.preaggsDir ? { preaggs: { dataDir: extra.preaggsDir, schedule: true } } : {}),
    logger: { level: extra.logLevel ?? 'debug', stream: { write: (line) => void logs.push(line) } },
  });
  await app.ready();
  return {
    app,
    store,
    workspaceId,
    logs,
    async close() {
      await app.close();
      await place.cleanup();
    },
  };
}

/** PostgreSQL credentials from PGURL's parts (the flights test database). */
export function pgParts(): { host: string; port: number; database: string; user: string; password?: string } {
  const u = new URL(testDataPaths().pgUrl);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    database: decodeURIComponent(u.pathname.slice(1)),
    user: decodeURIComponent(u.username),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
  };
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * `inject` with the API key on the app `app()` returns (set in a `beforeAll`), pushing every
 * answer's body onto `bodies` when given, so a test can scan them all for secrets.
 */
export function apiCaller(app: () => StoreTestApp, bodies?: string[]) {
  return async (method: Method, url: string, payload?: unknown) => {
    const res = await app().app.inject({
      method,
      url,
      headers: AUTH,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    bodies?.push(res.body);
    return res;
  };
}
