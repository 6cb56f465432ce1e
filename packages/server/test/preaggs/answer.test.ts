import type { Driver, QueryInput, SecurityOptions } from '@inlay/core';
import { compileFromRollup, executeCompiled, rollupsOf, runQuery } from '@inlay/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RollupBuilder, RollupReader } from '../../src/preaggs/index.js';
import { sourceLookup } from '../../src/workspaces/index.js';
import {
  addFlightsConnection,
  canonical,
  flightsDriver,
  flightsModel,
  type PreaggPlace,
  preaggPlace,
  target,
} from './helpers.js';

/**
 * The two halves of L2 together, as the data route will run them: the engine plans a query onto
 * a rollup this reader serves, and the answer equals the source database's.
 */
const CASES: { name: string; query: QueryInput; security: SecurityOptions }[] = [
  {
    name: 'count and average by state, as admin',
    query: {
      measures: ['flights.count', 'flights.avg_delay'],
      dimensions: ['airports.state'],
      order: { 'flights.count': 'desc' },
      limit: 10,
    },
    security: { roles: ['admin'], securityContext: {} },
  },
  {
    name: 'a tenant’s flights by origin (the access policy filters on airports.state)',
    query: { measures: ['flights.count', 'flights.total_distance'], dimensions: ['flights.origin'] },
    security: { securityContext: { states: ['CA', 'NY'] } },
  },
  {
    name: 'months of a whole-month date range',
    query: {
      measures: ['flights.count', 'flights.max_delay'],
      timeDimensions: [
        { dimension: 'flights.date', granularity: 'month', dateRange: ['2001-02-01', '2001-03-31'] },
      ],
    },
    security: { roles: ['admin'], securityContext: {} },
  },
];

describe('answering from the rollups this reader serves', () => {
  let place: PreaggPlace;
  let reader: RollupReader;
  let driver: Driver;
  const model = flightsModel();
  beforeAll(async () => {
    place = await preaggPlace('sqlite');
    await addFlightsConnection(place.store, place.workspaceId, 'duckdb');
    driver = flightsDriver('duckdb');
    const builder = new RollupBuilder({ store: place.store, dataDir: place.dataDir });
    for (const rollup of rollupsOf(model)) {
      await builder.build(await target(place.store, place.workspaceId, model, rollup, driver));
    }
    reader = new RollupReader({
      store: place.store,
      dataDir: place.dataDir,
      sources: () => sourceLookup(place.store),
    });
    await reader.refresh();
  });
  afterAll(async () => {
    await reader.close();
    await driver.close();
    await place.cleanup();
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const plan = compileFromRollup(model, c.query, {
        security: c.security,
        locate: reader.locator(place.workspaceId, 'default'),
      });
      if (!plan.rollup) throw new Error(`not answered from a rollup: ${plan.reason}`);
      const fromRollup = await executeCompiled(reader, plan.compiled);
      const fromSource = await runQuery(model, driver, c.query, { security: c.security });
      const keys = Object.keys(fromSource.data[0] ?? {});
      expect(fromRollup.data.length).toBe(fromSource.data.length);
      expect(canonical(fromRollup.data, keys)).toEqual(canonical(fromSource.data, keys));
      expect(fromRollup.annotation).toEqual(fromSource.annotation);
    });
  }

  it('never answers another environment’s caller from these tables', () => {
    const plan = compileFromRollup(model, CASES[0]!.query, {
      security: CASES[0]!.security,
      locate: reader.locator(place.workspaceId, 'tenant-b'),
    });
    expect(plan.rollup).toBeUndefined();
  });
});
