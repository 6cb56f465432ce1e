import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Driver, Row } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import {
  compileModel,
  type RollupDef,
  type RollupPartition,
  rollupBuildQuery,
  rollupPartitions,
  rollupRangeQuery,
  rollupsOf,
  type SemanticModel,
} from '@inlay/engine';
import { flightsProjectDir, testDataPaths } from '@inlay/example-flights';
import type { BuildTarget } from '../../src/preaggs/index.js';
import type { Store } from '../../src/store/index.js';
import { createStoreWorkspace, sourceLookup, type Workspace } from '../../src/workspaces/index.js';
import { type BackendName, testPlace } from '../store/helpers.js';

/** The flights demo's models, with their pre_aggregations (by_month: partitioned, by_day: not). */
export function flightsFiles(): { path: string; content: string }[] {
  const dir = join(flightsProjectDir, 'models');
  return ['flights.cube.yml', 'airports.cube.yml'].map((f) => ({
    path: `models/${f}`,
    content: readFileSync(join(dir, f), 'utf8'),
  }));
}

export const flightsModel = (): SemanticModel => compileModel(flightsFiles());

export function rollupOf(model: SemanticModel, id: string): RollupDef {
  const r = rollupsOf(model).find((x) => x.id === id);
  if (!r) throw new Error(`no rollup ${id}: ${rollupsOf(model).map((x) => x.id)}`);
  return r;
}

/** A metadata store (SQLite or PostgreSQL), a workspace, and a data dir for rollup files. */
export interface PreaggPlace {
  backend: BackendName;
  store: Store;
  /** Another handle on the same metadata database (a second process's view). */
  openAnother(): Promise<Store>;
  workspaceId: string;
  dataDir: string;
  cleanup(): Promise<void>;
}

export async function preaggPlace(backend: BackendName): Promise<PreaggPlace> {
  const place = testPlace(backend);
  const store = await place.open();
  const workspaceId = (await store.workspaces.create({ name: 'preaggs' })).id;
  const dataDir = mkdtempSync(join(tmpdir(), 'inlay-preaggs-'));
  return {
    backend,
    store,
    openAnother: () => place.open(),
    workspaceId,
    dataDir,
    async cleanup() {
      await place.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Adds the `default` connection: the flights DuckDB file, or the flights tables in PostgreSQL or MySQL. */
export async function addFlightsConnection(
  store: Store,
  workspaceId: string,
  kind: FlightsSource,
  name = 'default',
): Promise<void> {
  await store.connections.create(workspaceId, {
    name,
    type: kind,
    credentials: flightsCredentials(kind),
  });
}

export type FlightsSource = 'duckdb' | 'postgres' | 'mysql';

function flightsCredentials(kind: FlightsSource): Record<string, string> {
  const paths = testDataPaths();
  if (kind === 'duckdb') return { path: paths.duckdbPath };
  return { url: kind === 'postgres' ? paths.pgUrl : paths.mysqlUrl };
}

export function flightsDriver(kind: FlightsSource): Driver {
  return createDriver(kind, flightsCredentials(kind), { readOnly: true });
}

export async function target(
  store: Store,
  workspaceId: string,
  model: SemanticModel,
  rollup: RollupDef,
  driver: Driver,
  environment = 'default',
): Promise<BuildTarget> {
  const source = await sourceLookup(store)(workspaceId, environment, rollup.dataSource);
  if (!source) throw new Error(`environment ${environment} maps no connection for ${rollup.dataSource}`);
  return { workspaceId, environment, model, rollup, driver, source };
}

/** A store workspace serving `model` (no stored version), for the scheduler. */
export function storeWorkspace(store: Store, workspaceId: string, model: SemanticModel): Workspace {
  return createStoreWorkspace({ store, workspaceId, loadModel: async () => model });
}

/** Rows in a stable order with cells as comparable text, so two databases' answers compare. */
export function canonical(rows: Row[], columns: string[]): string[] {
  return rows
    .map((r) =>
      columns
        .map((c) => {
          const v = r[c];
          return typeof v === 'number' ? String(Number(v.toPrecision(12))) : String(v ?? null);
        })
        .join('|'),
    )
    .sort();
}

/** Every partition's rows, straight from the source with the engine's build query. */
export async function directRows(model: SemanticModel, rollup: RollupDef, driver: Driver): Promise<Row[]> {
  const out: Row[] = [];
  let parts: (RollupPartition | undefined)[] = [undefined];
  if (rollup.partitionGranularity && rollup.timeDimension) {
    const rq = rollupRangeQuery(model, rollup, driver.dialect);
    const r = (await driver.query(rq.sql, rq.params)).rows[0]!;
    const at = (v: unknown) => new Date(`${String(v).replace(' ', 'T')}Z`);
    parts = rollupPartitions(rollup, { min: at(r.min_time), max: at(r.max_time) });
  }
  for (const p of parts) {
    const q = rollupBuildQuery(model, rollup, driver.dialect, p);
    out.push(...(await driver.query(q.sql, q.params)).rows);
  }
  return out;
}

/** Polls until `check` holds (timers, background builds); fails after `ms`. */
export async function eventually(check: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
