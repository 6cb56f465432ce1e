/**
 * Whether a rollup answer read the clock (`usesNow`): a relative date range did, in a query or a
 * token filter, whether the rollup answered or not; an absolute range did not. The L1 key and
 * the repeat path keep such answers only as long as the clock would give the same one.
 */
import type { QueryInput, SecurityOptions } from '@inlay/core';
import { flightsProjectDir } from '@inlay/example-flights';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileFromRollup, compileModel, type RollupLocator, readModelDir } from '../../src/index.js';

const ADMIN: SecurityOptions = { roles: ['admin'] };
const CA: SecurityOptions = { roles: ['default'], securityContext: { states: ['CA'] } };
const all: RollupLocator = (r) => `rollup_${r.name}`;
const monthRange = { dimension: 'flights.date', dateRange: ['2001-02-01', '2001-03-31'] as [string, string] };

let flights: ReturnType<typeof compileModel>;

beforeAll(async () => {
  flights = compileModel(await readModelDir(flightsProjectDir));
});

describe('eligibility that depends on the clock says so', () => {
  const lastWeek = (granularity: string) => ({
    measures: ['flights.count'],
    timeDimensions: [{ dimension: 'flights.date', granularity, dateRange: 'last 7 days' }],
  });
  const at = (q: QueryInput, iso: string) =>
    compileFromRollup(flights, q, { security: ADMIN, locate: all, now: new Date(iso) });

  it('a relative range read the clock, whether answered or refused', () => {
    const answered = at(lastWeek('day'), '2001-03-15T12:00:00Z');
    expect(answered.rollup?.id).toBe('flights.by_day');
    expect(answered.usesNow).toBe(true);
    // "from 3 hours ago to now" never falls on day boundaries: the refusal depends on the clock too.
    const refused = at(
      {
        measures: ['flights.count'],
        timeDimensions: [{ dimension: 'flights.date', dateRange: 'from 3 hours ago to now' }],
      },
      '2001-03-15T12:34:56Z',
    );
    expect(refused.rollup).toBeUndefined();
    expect(refused.usesNow).toBe(true);
  });

  it('absolute ranges and no range do not', () => {
    for (const q of [
      { measures: ['flights.count'], timeDimensions: [monthRange] },
      { measures: ['flights.count'], dimensions: ['flights.origin'] },
      {
        measures: ['flights.count'],
        timeDimensions: [{ dimension: 'flights.date', dateRange: 'from 2001-02-01 to 2001-02-14' }],
      },
    ]) {
      expect(at(q, '2001-03-15T12:00:00Z').usesNow, JSON.stringify(q)).toBe(false);
    }
  });

  it('a relative range in a token filter counts', () => {
    const out = compileFromRollup(
      flights,
      { measures: ['flights.count'] },
      {
        security: {
          ...CA,
          filters: [{ member: 'flights.date', operator: 'inDateRange', values: ['last 7 days'] }],
        },
        locate: all,
        now: new Date('2001-03-15T12:00:00Z'),
      },
    );
    expect(out.usesNow).toBe(true);
  });
});
