/**
 * Hostile values in every position a request or a token can fill. Each must either be answered
 * correctly or refused with a 4xx InlayError that says what was wrong; a value never becomes SQL
 * text (compiled for DuckDB, PostgreSQL and QuestDB: the SQL equals the one for a harmless value).
 * Data runs use writable connections (an in-memory copy of the DuckDB store, and PostgreSQL), so a
 * successful injection would show in the final row counts.
 */
import {
  type Driver,
  type Filter,
  type FilterOperator,
  InlayError,
  type QueryInput,
  type SecurityOptions,
} from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { flightsProjectDir, testDataPaths } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CompiledQuery, compileModel, compileQuery, readModelDir, runQuery } from '../src/index.js';

type Model = ReturnType<typeof compileModel>;
const DIALECTS = ['duckdb', 'postgres', 'questdb', 'mysql'] as const;
const ADMIN: SecurityOptions = { roles: ['admin'] };
const FLIGHTS = 3_000_000;

const MEGABYTE = "'; DROP TABLE flights; --".repeat(41_944).slice(0, 1_048_576);
const PAYLOADS: [string, string][] = [
  ['drop table', "'; DROP TABLE flights; --"],
  ['or 1=1', "' OR '1'='1"],
  ['backslash', '\\'],
  ['like wildcards', '%_'],
  ['double quotes', '"quoted"'],
  ['comment', '/* */'],
  ['placeholder', '$1'],
  ['rtl', '\u202Eשלום مرحبا\u202C'],
  ['emoji', '🚀💥👩‍💻'],
  ['nul', 'a\u0000b'],
  ['1 MB', MEGABYTE],
  ['1e309', '1e309'],
  ['-0', '-0'],
  ['template', '{ securityContext.states }'],
];
const STRING_OPS =
  'equals notEquals contains notContains startsWith notStartsWith endsWith notEndsWith'.split(
    ' ',
  ) as FilterOperator[];
const WORDS = ['100%', '100 percent', 'a_b', 'axb', 'back\\slash', 'backslash', "it's", 'its', '"quoted"'];
WORDS.push('quoted', '/* c */', '$1', 'שלום', '🚀 rocket', 'rocket', '%_', 'x%_y', 'x');
const WORDS_MODEL = `
cubes:
  - name: words
    sql_table: inlay_injection.words
    public: true
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: word, sql: word, type: string }
    measures:
      - { name: count, type: count }
`;
/** The words table; MySQL has databases for schemas, `?` placeholders and case-blind default collations. */
const SETUP = (words: string[], mysql: boolean) =>
  mysql
    ? [
        'DROP DATABASE IF EXISTS inlay_injection',
        'CREATE DATABASE inlay_injection',
        'CREATE TABLE inlay_injection.words (id INTEGER PRIMARY KEY, word VARCHAR(255)) COLLATE utf8mb4_bin',
        `INSERT INTO inlay_injection.words VALUES ${words.map(() => '(?, ?)').join(', ')}`,
      ]
    : [
        'DROP SCHEMA IF EXISTS inlay_injection CASCADE',
        'CREATE SCHEMA inlay_injection',
        'CREATE TABLE inlay_injection.words (id INTEGER PRIMARY KEY, word VARCHAR)',
        `INSERT INTO inlay_injection.words VALUES ${words.map((_, i) => `(${i + 1}, $${i + 1})`).join(', ')}`,
      ];

let model: Model;
let words: Model;
let cities: string[];
const dbs: [string, Driver][] = [];

beforeAll(async () => {
  const { duckdbPath, pgUrl, mysqlUrl } = testDataPaths();
  model = compileModel(await readModelDir(flightsProjectDir));
  words = compileModel([{ path: 'words.cube.yml', content: WORDS_MODEL }]);
  const duck = createDriver('duckdb', {});
  await duck.execute(`ATTACH '${duckdbPath.replaceAll("'", "''")}' AS src (READ_ONLY)`);
  await duck.execute('CREATE TABLE flights AS SELECT * FROM src.flights');
  await duck.execute('CREATE TABLE airports AS SELECT * FROM src.airports');
  await duck.execute('DETACH src');
  const pg = createDriver('postgres', { url: pgUrl });
  const my = createDriver('mysql', { url: mysqlUrl });
  dbs.push(['duckdb', duck], ['postgres', pg], ['mysql', my]);
  for (const [name, d] of dbs) {
    const statements = SETUP(WORDS, name === 'mysql');
    const values = name === 'mysql' ? WORDS.flatMap((w, i) => [i + 1, w]) : WORDS;
    for (const [i, s] of statements.entries()) await d.execute(s, i === statements.length - 1 ? values : []);
  }
  cities = (await duck.query('SELECT city FROM airports', [])).rows.map((r) => String(r.city));
});

afterAll(async () => {
  await dbs.find(([name]) => name === 'postgres')?.[1].execute('DROP SCHEMA inlay_injection CASCADE');
  await dbs.find(([name]) => name === 'mysql')?.[1].execute('DROP DATABASE inlay_injection');
  await Promise.all(dbs.map(([, d]) => d.close()));
});

function clientError(e: unknown): InlayError {
  expect(e, String(e)).toBeInstanceOf(InlayError);
  const err = e as InlayError;
  const what = `${err.code} ${err.status}: ${err.message.slice(0, 300)}`;
  expect(err.status >= 400 && err.status < 500, `a 4xx, not ${what}`).toBe(true);
  expect(err.message.length, what).toBeGreaterThan(10);
  return err;
}

type Request = [query: unknown, security?: SecurityOptions];

/** Compiled for every dialect, or refused alike by all of them (with a 4xx). */
function compileAll([query, security = ADMIN]: Request, m = model): CompiledQuery[] | InlayError {
  const out = DIALECTS.map((dialect) => {
    try {
      return compileQuery(m, query, { dialect, security });
    } catch (e) {
      return clientError(e);
    }
  });
  const refused = out.filter((o) => o instanceof InlayError);
  expect(refused.length === 0 || refused.length === out.length, 'dialects disagree').toBe(true);
  return refused.length ? refused[0]! : (out as CompiledQuery[]);
}

/** The payload is refused, or bound: the SQL text equals the one for a harmless value. */
function expectBound(make: (v: unknown) => Request, payload: unknown, benign: unknown, m = model): boolean {
  const got = compileAll(make(payload), m);
  if (got instanceof InlayError) return false;
  const base = compileAll(make(benign), m);
  expect(base).not.toBeInstanceOf(InlayError);
  got.forEach((c, i) => {
    expect(c.sql).toBe((base as CompiledQuery[])[i]!.sql);
    if (typeof payload === 'string' && payload.length > 3) expect(c.sql).not.toContain(payload);
  });
  return true;
}

/** A runQuery answer, or the 4xx refusal it must otherwise be. */
async function answer(d: Driver, [query, security = ADMIN]: Request, m = model) {
  try {
    return (await runQuery(m, d, query, { security })).data;
  } catch (e) {
    return clientError(e);
  }
}

async function count(d: Driver, request: Request, key = 'flights.count'): Promise<number | InlayError> {
  const data = await answer(d, request);
  return data instanceof InlayError ? data : Number(data[0]?.[key]);
}

/** Plain SQL written with `$n` placeholders (MySQL's are `?`). */
const sqlCount = async (d: Driver, sql: string, params: unknown[] = []) =>
  Number(
    (await d.query(d.dialect === 'mysql' ? sql.replace(/\$\d+/g, '?') : sql, params as never)).rows[0]!.n,
  );

const cityQuery = (filter: Filter): QueryInput => ({ measures: ['airports.count'], filters: [filter] });
/** What an operator means, written without LIKE: case-insensitive for the pattern operators. */
function matches(op: FilterOperator, s: string, v: string): boolean {
  const negative = op.startsWith('not');
  const positive = negative ? op[3]!.toLowerCase() + op.slice(4) : op;
  const [a, b] = [s.toLowerCase(), v.toLowerCase()];
  const tests: Record<string, boolean> = {
    equals: s === v,
    contains: a.includes(b),
    startsWith: a.startsWith(b),
    endsWith: a.endsWith(b),
  };
  return tests[positive] !== negative;
}

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
          const got = await answer(d, [query], words);
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
