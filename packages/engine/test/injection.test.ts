/**
 * Hostile values in every position a request or a token can fill. Each must either be answered
 * correctly or refused with a 4xx InlayError that says what was wrong; a value never becomes SQL
 * text (compiled for DuckDB, PostgreSQL and QuestDB: the SQL equals the one for a harmless value).
 * Data runs use writable connections (an in-memory copy of the DuckDB store, and PostgreSQL), so a
 * successful injection would show in the final row counts.
 */
import { type Filter, InlayError } from '@inlay/core';
import { describe, expect, it } from 'vitest';
import {
  answer,
  cities,
  cityQuery,
  compileAll,
  count,
  dbs,
  expectBound,
  FLIGHTS,
  MEGABYTE,
  matches,
  models,
  PAYLOADS,
  type Request,
  STRING_OPS,
  sqlCount,
  useInjectionDatabases,
  WORDS,
} from './injection-fixture.js';

useInjectionDatabases();

describe.each(PAYLOADS)('payload %s', (_name, payload) => {
  it('in string filters, every operator: bound and answered exactly, or refused', async () => {
    for (const operator of [...STRING_OPS, 'gt', 'lte', 'set', 'inDateRange', 'beforeDate'] as const) {
      const make = (v: unknown): Request => [
        cityQuery({ member: 'airports.city', operator, values: [v] } as Filter),
      ];
      if (!expectBound(make, payload, 'zz') || operator === 'set') continue;
      for (const [name, d] of dbs) {
        const want = STRING_OPS.includes(operator)
          ? cities.filter((c) => matches(operator, c, payload)).length
          : await sqlCount(
              d,
              `SELECT count(*) AS n FROM airports WHERE city ${operator === 'gt' ? '>' : '<='} $1`,
              [payload],
            );
        expect(await count(d, make(payload), 'airports.count'), `${name} ${operator}`).toBe(want);
      }
    }
  });

  it('in number and time filters, date ranges and time zones: refused unless it is a value', async () => {
    for (const [member, operator, benign] of [
      ['flights.delay', 'gt', 1],
      ['flights.distance', 'equals', 1],
      ['flights.date', 'beforeDate', '2001-01-01'],
      ['flights.date', 'equals', '2001-01-01'],
      ['flights.date', 'inDateRange', '2001-01-01'],
      ['flights.date', 'notInDateRange', '2001-01-01'],
    ] as const) {
      const make = (v: unknown): Request => [
        { measures: ['flights.count'], filters: [{ member, operator, values: [v] }] },
      ];
      if (expectBound(make, payload, benign)) expect(payload, `${member} ${operator}`).toBe('-0');
    }
    const td = (v: unknown): Request => [
      { measures: ['flights.count'], timeDimensions: [{ dimension: 'flights.date', dateRange: v }] },
    ];
    expect(expectBound(td, [payload, '2001-02-01'], ['2001-01-01', '2001-02-01'])).toBe(false);
    expect(expectBound(td, payload, '2001-01-01')).toBe(false);
    expect(expectBound(() => [{ measures: ['flights.count'], timezone: payload }], 0, 0)).toBe(false);
  });

  it('as member names, segments, order keys, granularity, limit and offset: refused', () => {
    const bad = [
      { measures: [payload] },
      { measures: [`flights.count${payload}`] },
      { measures: ['flights.count'], dimensions: [`flights.origin${payload}`] },
      { measures: ['flights.count'], segments: [`flights.${payload}`] },
      { measures: ['flights.count'], order: { [payload]: 'asc' } },
      { measures: ['flights.count'], order: [[`flights.count${payload}`, 'desc']] },
      { measures: ['flights.count'], order: { 'flights.count': payload } },
      { measures: ['flights.count'], filters: [{ member: `flights.origin${payload}`, operator: 'set' }] },
      {
        measures: ['flights.count'],
        filters: [{ member: 'flights.origin', operator: payload, values: ['x'] }],
      },
      { measures: ['flights.count'], timeDimensions: [{ dimension: 'flights.date', granularity: payload }] },
      { measures: ['flights.count'], limit: payload },
      { measures: ['flights.count'], offset: payload },
    ];
    for (const q of bad) expect(compileAll([q]), JSON.stringify(q).slice(0, 200)).toBeInstanceOf(InlayError);
  });

  it('in the security context: bound, never widening; no state matches it', async () => {
    const q = { measures: ['flights.count'] };
    const ctx = (states: unknown): Request => [q, { roles: ['default'], securityContext: { states } }];
    for (const states of [[payload], payload, { nested: payload }, [[payload]]]) {
      if (!expectBound(ctx, states, ['zz'])) continue;
      for (const [, d] of dbs)
        expect(await count(d, ctx(states)), JSON.stringify(states).slice(0, 99)).toBe(0);
    }
  });

  it('in token filters: bound and applied like a query filter', async () => {
    for (const operator of ['equals', 'notEquals', 'contains', 'startsWith'] as const) {
      const filters = [{ member: 'airports.city', operator, values: [payload] }];
      const make = (v: unknown): Request => [
        { measures: ['airports.count'] },
        { roles: ['admin'], filters: [{ ...filters[0]!, values: [v as string] }] },
      ];
      if (!expectBound(make, payload, 'zz')) continue;
      const want = cities.filter((c) => matches(operator, c, payload)).length;
      for (const [, d] of dbs) expect(await count(d, make(payload), 'airports.count'), operator).toBe(want);
    }
  });

  it('as a role: refused, never admitted as admin', async () => {
    const q = { measures: ['flights.count'], dimensions: ['flights.origin'] };
    for (const roles of [[payload], [`admin${payload}`], [payload, 'viewer']]) {
      const got = compileAll([q, { roles, securityContext: { states: ['CA'] } }]);
      if (!(got instanceof InlayError)) {
        // A role that is no policy's role adds nothing: only the default policy could apply.
        expect(got[0]!.plan.roles).not.toContain('admin');
      } else {
        // Refused either as an unknown role or as a malformed (oversized) claim.
        expect(['ACCESS_DENIED', 'SECURITY_CONTEXT_MISSING']).toContain(got.code);
        expect(got.status).toBe(403);
      }
    }
  });
});

describe('LIKE operators match %, _ and \\ literally', () => {
  for (const value of ['%', '_', '\\', "'", '"', '/*', '$1', 'של', '🚀', '%_', 'X%_']) {
    it(JSON.stringify(value), async () => {
      for (const operator of ['contains', 'startsWith', 'endsWith', 'notContains'] as const) {
        const query = {
          dimensions: ['words.word'],
          filters: [{ member: 'words.word', operator, values: [value] }],
          order: { 'words.word': 'asc' as const },
        };
        const want = WORDS.filter((w) => matches(operator, w, value)).sort();
        for (const [name, d] of dbs) {
          const got = await answer(d, [query], models.words);
          expect(got).not.toBeInstanceOf(InlayError);
          const list = (got as Record<string, unknown>[]).map((r) => String(r['words.word'])).sort();
          expect(list, `${name} ${operator}`).toEqual(want);
        }
      }
    });
  }

  it('a wildcard-only value does not match every flight', async () => {
    for (const [, d] of dbs) {
      for (const values of [['%_'], ['%'], ['_']]) {
        const q = {
          measures: ['flights.count'],
          filters: [{ member: 'flights.origin', operator: 'contains', values }],
        };
        expect(await count(d, [q])).toBe(0);
      }
    }
  });
});

describe('numbers, times and limits at their edges', () => {
  const delay = (operator: string, v: unknown): Request => [
    { measures: ['flights.count'], filters: [{ member: 'flights.delay', operator, values: [v] }] },
  ];
  it.each([
    ['gt', 1.5, 'delay > 1.5'],
    ['lte', -2.5, 'delay <= -2.5'],
    ['equals', 1.5, 'delay = 1.5'],
    ['gt', -0, 'delay > 0'],
    ['gt', '-0', 'delay > 0'],
    ['gt', 1e300, 'delay > 1e300'],
    ['gt', -1e300, 'delay > -1e300'],
    ['equals', 2 ** 53 + 2, 'delay = 9007199254740994'],
    ['lt', 3e9, 'delay < 3000000000'],
  ])('delay %s %s answers exactly on every database', async (op, v, where) => {
    for (const [name, d] of dbs) {
      const want = await sqlCount(d, `SELECT count(*) AS n FROM flights WHERE ${where}`);
      expect(await count(d, delay(op, v)), `${name}: flights.delay ${op} ${v}`).toBe(want);
    }
  });

  it.each([[Number.NaN], [Number.POSITIVE_INFINITY], [true], [null], [{ $gt: 0 }], [[1]]])(
    'delay gt %s is refused',
    (v) => expect(compileAll(delay('gt', v))).toBeInstanceOf(InlayError),
  );

  it.each([
    ['0000-01-01'],
    ['0001-01-01'],
    ['9999-12-31'],
    ['2001-01-01T00:00:00.000Z'],
    ['2001-03-01T23:59:59+14:00'],
  ])('afterOrOnDate %s answers exactly on every database, or is refused', async (v) => {
    const q = {
      measures: ['flights.count'],
      filters: [{ member: 'flights.date', operator: 'afterOrOnDate', values: [v] }],
    };
    const iso = new Date(v.length === 10 ? `${v}T00:00:00Z` : v).toISOString().slice(0, 23).replace('T', ' ');
    for (const [name, d] of dbs) {
      const got = await count(d, [q]);
      if (got instanceof InlayError) continue;
      const want = v.startsWith('0000')
        ? FLIGHTS
        : await sqlCount(d, `SELECT count(*) AS n FROM flights WHERE date >= TIMESTAMP '${iso}'`);
      expect(got, `${name} ${v}`).toBe(want);
    }
  });

  it.each([[1.5], [-1], [1e15], [2 ** 53], ['10'], [null], [Number.NaN], [Number.POSITIVE_INFINITY]])(
    'limit / offset %s: refused, or answered',
    async (v) => {
      for (const key of ['limit', 'offset']) {
        const got = compileAll([{ measures: ['flights.count'], dimensions: ['flights.origin'], [key]: v }]);
        if (!(got instanceof InlayError)) expect(key === 'offset' && v === 1e15, `${key} ${v}`).toBe(true);
      }
    },
  );

  it('limit -0 and offset -0 are zero', async () => {
    for (const [, d] of dbs) {
      const base = {
        measures: ['flights.count'],
        dimensions: ['flights.origin'],
        order: { 'flights.origin': 'asc' },
      };
      expect(await answer(d, [{ ...base, limit: -0 }])).toEqual([]);
      expect(await answer(d, [{ ...base, limit: 1, offset: -0 }])).toEqual(
        await answer(d, [{ ...base, limit: 1 }]),
      );
      expect(await answer(d, [{ ...base, offset: 1e15 }])).toEqual([]);
    }
  });
});

describe('long lists', () => {
  const hostile = (n: number) => Array.from({ length: n }, (_, i) => `${PAYLOADS[i % 9]![1]}${i}`);
  const many = hostile(1000);

  it('1000 hostile filter values and token values are bound and match nothing', async () => {
    const q = (v: unknown): Request => [
      { measures: ['flights.count'], filters: [{ member: 'flights.origin', operator: 'equals', values: v }] },
      {
        roles: ['admin'],
        filters: [{ member: 'flights.destination', operator: 'notEquals', values: v as string[] }],
      },
    ];
    const benign = many.map((_, i) => `v${i}`);
    expect(expectBound(q, many, benign)).toBe(true);
    for (const [, d] of dbs) expect(await count(d, q(many))).toBe(0);
    // The query schema caps a filter at 1 000 values (QUERY_LIMITS.valuesPerFilter).
    expect(compileAll(q([...many, 'x']))).toBeInstanceOf(InlayError);
  });

  it('a security-context list beyond 10 000 values is refused, not sent to the database', () => {
    const got = compileAll([
      { measures: ['flights.count'] },
      { securityContext: { states: ['CA', ...hostile(100_000)] } },
    ]);
    expect(got).toBeInstanceOf(InlayError);
    expect((got as InlayError).code).toBe('SECURITY_CONTEXT_MISSING');
    expect((got as InlayError).message).toContain('more than 10000 values');
  });

  it.each([[1000], [10_000]])(
    '%s states in the security context next to CA answer CA’s flights',
    async (n) => {
      const states = ['CA', ...hostile(n - 1)];
      for (const [name, d] of dbs) {
        const want = await sqlCount(
          d,
          "SELECT count(*) AS n FROM flights f JOIN airports a ON f.origin = a.iata WHERE a.state = 'CA'",
        );
        expect(await count(d, [{ measures: ['flights.count'] }, { securityContext: { states } }]), name).toBe(
          want,
        );
      }
    },
  );
});

describe('errors about a 1 MB payload in a query do not repeat it', () => {
  const filter = (member: string, operator: string) => ({
    measures: ['flights.count'],
    filters: [{ member, operator, values: [MEGABYTE] }],
  });
  it.each([
    ['order key', { measures: ['flights.count'], order: { [MEGABYTE]: 'asc' } }],
    ['member name', { measures: [`flights.${MEGABYTE}`] }],
    ['string filter value', filter('flights.origin', 'equals')],
    ['number filter value', filter('flights.delay', 'gt')],
    ['time filter value', filter('flights.date', 'beforeDate')],
    [
      'date range',
      { measures: ['flights.count'], timeDimensions: [{ dimension: 'flights.date', dateRange: MEGABYTE }] },
    ],
    ['time zone', { measures: ['flights.count'], timezone: MEGABYTE }],
  ])('%s', (_what, query) => {
    const err = compileAll([query]);
    expect(err).toBeInstanceOf(InlayError);
    expect((err as InlayError).message.length).toBeLessThan(10_000);
  });
});

describe('afterwards', () => {
  it('every database still holds every flight and airport', async () => {
    for (const [name, d] of dbs) {
      expect(await sqlCount(d, 'SELECT count(*) AS n FROM flights'), name).toBe(FLIGHTS);
      expect(await sqlCount(d, 'SELECT count(*) AS n FROM airports'), name).toBe(cities.length);
      expect(await sqlCount(d, 'SELECT count(*) AS n FROM inlay_injection.words'), name).toBe(WORDS.length);
    }
  });
});
