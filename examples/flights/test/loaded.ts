import type { Driver } from '@inlay/core';
import { expect } from 'vitest';
import { AIRPORT_ROWS, DATA_VERSION, FLIGHT_ROWS } from '../src/index.js';

/** A loaded server holds every flight (ids 1..N, no gaps), every airport and the data version. */
export async function expectEveryFlight(db: Driver, schema = ''): Promise<void> {
  const t = (name: string) => `${schema}${name}`;
  const { rows } = await db.query(
    `SELECT count(*) AS n, min(id) AS lo, max(id) AS hi, count(DISTINCT id) AS ids,
            (SELECT count(*) FROM ${t('airports')}) AS airports,
            (SELECT max(version) FROM ${t('inlay_demo_meta')}) AS version
     FROM ${t('flights')}`,
    [],
  );
  expect(rows[0]).toEqual({
    n: FLIGHT_ROWS,
    lo: 1,
    hi: FLIGHT_ROWS,
    ids: FLIGHT_ROWS,
    airports: AIRPORT_ROWS,
    version: DATA_VERSION,
  });
}
