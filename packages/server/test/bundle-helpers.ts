import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { flightsProjectDir, testDataPaths } from '@inlay/example-flights';
import { zipSync } from 'fflate';
import { pack } from 'tar-stream';
import { buildApp, createStoreWorkspace, hashApiKey, type InlayApp } from '../src/index.js';
import type { Store } from '../src/store/index.js';
import { AUTH } from './helpers.js';
import { type BackendName, SECRET_KEY, testPlace } from './store/helpers.js';

/** Files of the flights demo project as a bundle would carry them. */
export async function flightsFiles(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of [
    'models/flights.cube.yml',
    'models/airports.cube.yml',
    'flights-overview.embeddable.yml',
  ]) {
    out[f] = await readFile(join(flightsProjectDir, f), 'utf8');
  }
  return out;
}

export async function tarGz(files: Record<string, string | Buffer>): Promise<Buffer> {
  const p = pack();
  for (const [name, content] of Object.entries(files)) p.entry({ name }, content);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

export function zip(files: Record<string, string | Buffer>): Buffer {
  return Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, Buffer.from(v)]))));
}

/** A multipart body with `file` and `request`, as `npx inlay push` sends it. */
export function multipart(file: Buffer, request?: unknown, filename = 'bundle.tar.gz') {
  const boundary = `----inlay${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  if (request !== undefined) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="request"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(request)}\r\n`,
      ),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Pushes `files` as a bundle whose models become the served ones (API key auth); the response. */
export async function pushModelFiles(app: InlayApp, files: Record<string, string>, description: string) {
  const m = multipart(await tarGz(files), { pushModels: true, description });
  return app.inject({
    method: 'POST',
    url: '/api/v1/bundle/upload',
    headers: { ...AUTH, ...m.headers },
    payload: m.payload,
  });
}

export interface TenantSetup {
  app: InlayApp;
  store: Store;
  /** Workspace A: the app's primary, flights models stored and current, project dashboards synced. */
  a: { id: string; key: string };
  /** Workspace B: its own key and `default` connection, no models yet. */
  b: { id: string; key: string };
  close(): Promise<void>;
}

/** Two workspaces on one app and one metadata store, each with its own API key. */
export async function tenantSetup(backend: BackendName, maxBundleBytes?: number): Promise<TenantSetup> {
  const place = testPlace(backend);
  const store = await place.open();
  const duck = { name: 'default', type: 'duckdb', credentials: { path: testDataPaths().duckdbPath } };
  const make = async (name: string) => {
    const id = (await store.workspaces.create({ name })).id;
    await store.connections.create(id, duck);
    return { id, key: (await store.apiKeys.create(id)).key };
  };
  const a = await make('a');
  const b = await make('b');
  const files = await flightsFiles();
  const models = Object.fromEntries(Object.entries(files).filter(([p]) => p.startsWith('models/')));
  const put = await store.modelVersions.put(a.id, models, 'project');
  await store.workspaces.setModelVersion(a.id, put.version);
  const workspace = createStoreWorkspace({
    store,
    workspaceId: a.id,
    modelVersion: put.version,
    projectDir: flightsProjectDir,
  });
  const app = buildApp({
    config: {
      // The configured key is nobody's here: every caller proves its workspace through the store.
      apiKeyHash: hashApiKey(randomBytes(32).toString('hex')),
      secretKey: SECRET_KEY,
      maxBodyBytes: 1024 * 1024,
      queryTimeoutMs: 30_000,
      maxRows: 50_000,
    },
    workspace,
    store,
    ...(maxBundleBytes ? { maxBundleBytes } : {}),
    logger: false,
  });
  await app.ready();
  return {
    app,
    store,
    a,
    b,
    async close() {
      await app.close();
      await place.cleanup();
    },
  };
}

export const auth = (key: string) => ({ authorization: `Bearer ${key}` });
