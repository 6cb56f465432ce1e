import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InlayError } from '@inlay/core';
import { parseSecretKey } from './config/index.js';
import { createPreaggs, type PreaggLogger, type Preaggs } from './preaggs/index.js';
import { openStore, type Store } from './store/index.js';
import { openStoreWorkspaces, sourceLookup } from './workspaces/index.js';

export interface PreaggsRuntimeOptions {
  /** `INLAY_DATA_DIR` (or `--data-dir`): the servers' data dir, where rollup files go. */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  logger?: PreaggLogger;
  /** Run the scheduler (the worker); `inlay preaggs` commands say false. */
  schedule: boolean;
}

export interface PreaggsRuntime {
  store: Store;
  preaggs: Preaggs;
  dataDir: string;
  /** `postgres (schema inlay)` or the SQLite file: for the banner. */
  describeStore: string;
  close(): Promise<void>;
}

/**
 * The secret key the servers use, without creating one: a worker that made its own key (or API
 * key) in an empty data dir would split it from the servers, so that is an error instead.
 */
function secretKey(env: NodeJS.ProcessEnv, dataDir: string): Uint8Array {
  if (env.INLAY_SECRET_KEY) return parseSecretKey(env.INLAY_SECRET_KEY);
  const file = join(dataDir, 'secret.key');
  if (!existsSync(file)) {
    throw new InlayError('CONFIG', `no INLAY_SECRET_KEY and no ${file}`, {
      hint: 'Give the worker the servers’ INLAY_SECRET_KEY and INLAY_DATABASE_URL, or start `inlay start` once in this data dir.',
    });
  }
  return parseSecretKey(readFileSync(file, 'utf8'));
}

/**
 * What `inlay worker` and `inlay preaggs` run on: the servers' metadata store (never seeded or
 * changed here: which models are served stays the servers' business) and rollup files, with
 * each workspace's models and connections read from the store.
 */
export async function openPreaggsRuntime(options: PreaggsRuntimeOptions): Promise<PreaggsRuntime> {
  const env = options.env ?? process.env;
  const dataDir = resolve(options.dataDir || env.INLAY_DATA_DIR || './.inlay');
  const url = env.INLAY_DATABASE_URL || undefined;
  const store = url
    ? await openStore(url, { secretKey: secretKey(env, dataDir) })
    : await openStore({ dataDir }, { secretKey: secretKey(env, dataDir) });
  const workspaces = openStoreWorkspaces(store);
  const preaggs = createPreaggs({
    store,
    sources: () => sourceLookup(store),
    workspaces,
    dataDir,
    schedule: options.schedule,
    serve: false,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return {
    store,
    preaggs,
    dataDir,
    describeStore: url ? `PostgreSQL (schema ${store.schema})` : join(dataDir, 'inlay.db'),
    async close() {
      await preaggs.close();
      await workspaces.close();
      await store.close();
    },
  };
}
