/**
 * A caller that tries the rollups first and falls back to the database asks compileFromRollup for
 * the source query too (planned once): it must be exactly what compileQuery compiles.
 */
import type { QueryInput, SecurityOptions } from '@inlay/core';
import { flightsProjectDir } from '@inlay/example-flights';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  compileFromRollup,
  compileModel,
  compileQuery,
  type RollupLocator,
  readModelDir,
} from '../../src/index.js';

const ADMIN: SecurityOptions = { roles: ['admin'] };
const CA: SecurityOptions = { roles: ['default'], securityContext: { states: ['CA'] } };
const all: RollupLocator = (r) => `rollup_${r.name}`;
const NOW = new Date('2001-03-15T12:34:56Z');

let flights: ReturnType<typeof compileModel>;
beforeAll(async () => {
  flights = compileModel(await readModelDir(flightsProjectDir));
});

const week = { dimension: 'flights.date', dateRange: ['2001-02-03', '2001-02-09'] as [string, string] };
const NO_ROLLUP: [string, QueryInput][] = [
  [
    'a filter no rollup holds',
    {
      measures: ['flights.count', 'flights.avg_delay'],
      dimensions: ['airports.state'],
      timeDimensions: [week],
      filters: [{ member: 'flights.distance', operator: 'gt', values: ['500'] }],
    },
  ],
  [
    'a week no month rollup aligns with',
    { measures: ['flights.distinct_destinations'], timeDimensions: [week] },
  ],
  [
    'a relative range',
    {
      measures: ['flights.count'],
      dimensions: ['flights.origin'],
      timeDimensions: [{ dimension: 'flights.date', dateRange: 'from 3 hours ago to now' }],
      total: true,
    },
  ],
  ['a cube without rollups', { measures: ['airports.count'], dimensions: ['airports.state'] }],
  ['ungrouped', { dimensions: ['flights.origin'], ungrouped: true, limit: 5 }],
];

describe('compileFromRollup with the source dialect', () => {
  for (const [name, query] of NO_ROLLUP) {
    for (const dialect of ['duckdb', 'postgres', 'mysql']) {
      for (const security of [ADMIN, CA]) {
        it(`${name}, ${dialect}, roles ${security.roles}: the source compiles as compileQuery does`, () => {
          const out = compileFromRollup(flights, query, {
            security,
            locate: all,
            now: NOW,
            dialect: () => dialect,
          });
          if (out.rollup) throw new Error(`rollup ${out.rollup.id} answered`);
          const expected = compileQuery(flights, query, { dialect, security, now: NOW });
          expect(out.source).toEqual(expected);
          expect(out.usesNow).toBe(expected.usesNow);
        });
      }
    }
  }

  it('a relative range read the clock: the refusal and its source say so', () => {
    const out = compileFromRollup(flights, NO_ROLLUP[2]![1], {
      security: ADMIN,
      locate: all,
      now: NOW,
      dialect: 'duckdb',
    });
    expect(out.usesNow).toBe(true);
    expect(out.rollup ? undefined : out.source?.usesNow).toBe(true);
  });

  it('an answer from a rollup carries no source, and no dialect asks for none', () => {
    const monthly = {
      measures: ['flights.count'],
      timeDimensions: [
        { dimension: 'flights.date', granularity: 'month', dateRange: ['2001-02-01', '2001-03-31'] },
      ],
    };
    const answered = compileFromRollup(flights, monthly, { security: ADMIN, locate: all, dialect: 'duckdb' });
    expect(answered.rollup?.id).toBeDefined();
    expect('source' in answered).toBe(false);
    const plain = compileFromRollup(flights, NO_ROLLUP[0]![1], { security: ADMIN, locate: all });
    expect(plain.rollup).toBeUndefined();
    expect('source' in plain).toBe(false);
  });

  it("raises the source dialect's errors as compileQuery does", () => {
    const unmapped = () => {
      throw new Error('data source default is not mapped');
    };
    expect(() =>
      compileFromRollup(flights, NO_ROLLUP[0]![1], { security: ADMIN, locate: all, dialect: unmapped }),
    ).toThrow('not mapped');
    expect(() => compileQuery(flights, NO_ROLLUP[0]![1], { security: ADMIN, dialect: unmapped })).toThrow(
      'not mapped',
    );
  });
});
