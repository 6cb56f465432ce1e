/**
 * Row-level security, property-based: random queries rooted at `flights` × random security
 * contexts. Every answer must equal the same aggregate written by hand over rows pre-filtered to
 * the allowed states (run on DuckDB), on DuckDB, PostgreSQL and MySQL. Seeds are fixed, runs bounded.
 */
import type { Driver, Filter, QueryInput, ResultValue, SecurityOptions } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { flightsProjectDir, testDataPaths } from '@inlay/example-flights';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileModel, readModelDir, runQuery } from '../src/index.js';

type Model = ReturnType<typeof compileModel>;
type Row = Record<string, ResultValue>;

const SEED = 20_010_601;
const LIMIT = 50_000;

/** Measure → the aggregate over `f` (the pre-filtered flights). */
const MEASURES: Record<string, string> = {
  'flights.count': 'count(f.id)',
  'flights.avg_delay': 'avg(f.delay)',
  'flights.max_delay': 'max(f.delay)',
  'flights.total_distance': 'sum(f.distance)',
  'flights.delayed_count': 'count(CASE WHEN f.delay > 15 THEN f.id END)',
  'flights.distinct_destinations': 'count(DISTINCT f.destination)',
};
/** Dimension → its column; `a` is the origin airport, `d` the destination airport. */
const DIMENSIONS: Record<string, string> = {
  'flights.origin': 'f.origin',
  'flights.destination': 'f.destination',
  'airports.state': 'a.state',
  'destinations.state': 'd.state',
  'airports.city': 'a.city',
};
const TOP_AIRPORTS = ['LAX', 'SFO', 'ORD', 'ATL', 'DFW', 'JFK', 'DEN', 'PHX', 'LAS', 'SEA', 'BOS', 'MIA'];

interface Case {
  measures: string[];
  dimensions: string[];
  time?: { granularity?: 'month' | 'week'; from: number; to: number };
  filters: { query: Filter; sql: string }[];
}

let model: Model;
let duck: Driver;
let pg: Driver;
let my: Driver;
/** Every state in `airports`, the states some flight leaves from, and iata → state. */
let allStates: string[];
let flightStates: string[];
let stateOf: Map<string, string>;

beforeAll(async () => {
  const { duckdbPath, pgUrl, mysqlUrl } = testDataPaths();
  model = compileModel(await readModelDir(flightsProjectDir));
  duck = createDriver('duckdb', { path: duckdbPath }, { readOnly: true });
  pg = createDriver('postgres', { url: pgUrl }, { readOnly: true });
  my = createDriver('mysql', { url: mysqlUrl }, { readOnly: true });
  await Promise.all([duck.test(), pg.test(), my.test()]);
  const airports = await duck.query('SELECT iata, state FROM airports', []);
  stateOf = new Map(airports.rows.map((r) => [String(r.iata), String(r.state)]));
  allStates = [...new Set(stateOf.values())].sort();
  const used = await duck.query(
    'SELECT DISTINCT a.state FROM flights f JOIN airports a ON f.origin = a.iata ORDER BY 1',
    [],
  );
  flightStates = used.rows.map((r) => String(r.state));
  expect(flightStates.length).toBeGreaterThan(40);
  expect(allStates.length).toBeGreaterThan(flightStates.length);
});

afterAll(async () => {
  await Promise.all([duck?.close(), pg?.close(), my?.close()]);
});

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
const day = (n: number) => new Date(Date.UTC(2001, 0, 1 + n)).toISOString().slice(0, 10);

// ---- generators ------------------------------------------------------------------------------

function filterArb(): fc.Arbitrary<{ query: Filter; sql: string }> {
  const state = fc.constantFrom(...flightStates);
  return fc.oneof(
    fc.uniqueArray(fc.constantFrom(...TOP_AIRPORTS), { minLength: 1, maxLength: 3 }).map((v) => ({
      query: { member: 'flights.destination', operator: 'equals', values: v } as Filter,
      sql: `f.destination IN (${v.map(lit).join(', ')})`,
    })),
    fc.integer({ min: -10, max: 60 }).map((n) => ({
      query: { member: 'flights.delay', operator: 'gt', values: [n] } as Filter,
      sql: `f.delay > ${n}`,
    })),
    fc.integer({ min: 100, max: 2500 }).map((n) => ({
      query: { member: 'flights.distance', operator: 'lte', values: [n] } as Filter,
      sql: `f.distance <= ${n}`,
    })),
    fc.uniqueArray(state, { minLength: 1, maxLength: 2 }).map((v) => ({
      query: { member: 'airports.state', operator: 'equals', values: v } as Filter,
      sql: `a.state IN (${v.map(lit).join(', ')})`,
    })),
    state.map((s) => ({
      query: { member: 'destinations.state', operator: 'notEquals', values: [s] } as Filter,
      sql: `(d.state <> ${lit(s)} OR d.state IS NULL)`,
    })),
    fc.constantFrom(...'ABCDEFGHIJKLMNOPRSTW').map((c) => ({
      query: { member: 'flights.origin', operator: 'startsWith', values: [c.toLowerCase()] } as Filter,
      sql: `f.origin ILIKE ${lit(`${c}%`)}`,
    })),
    fc.constantFrom('an', 'San', 'ville', 'o').map((c) => ({
      query: { member: 'airports.city', operator: 'contains', values: [c] } as Filter,
      sql: `a.city ILIKE ${lit(`%${c}%`)}`,
    })),
    // An OR in the query must not reach rows outside the policy.
    fc.tuple(state, fc.constantFrom(...TOP_AIRPORTS)).map(([s, o]) => ({
      query: {
        or: [
          { member: 'airports.state', operator: 'equals', values: [s] },
          { member: 'flights.origin', operator: 'equals', values: [o] },
        ],
      } as Filter,
      sql: `(a.state = ${lit(s)} OR f.origin = ${lit(o)})`,
    })),
  );
}

function caseArb(opts: { dimensions?: fc.Arbitrary<string[]> } = {}): fc.Arbitrary<Case> {
  const dims =
    opts.dimensions ?? fc.uniqueArray(fc.constantFrom(...Object.keys(DIMENSIONS)), { maxLength: 2 });
  const time = fc.option(
    fc
      .record({
        granularity: fc.constantFrom<'month' | 'week' | undefined>('month', 'week', undefined),
        a: fc.integer({ min: 0, max: 180 }),
        b: fc.integer({ min: 0, max: 180 }),
      })
      .map(({ granularity, a, b }) => ({ granularity, from: Math.min(a, b), to: Math.max(a, b) })),
    { nil: undefined },
  );
  return fc
    .record({
      measures: fc.uniqueArray(fc.constantFrom(...Object.keys(MEASURES)), { minLength: 1, maxLength: 4 }),
      dimensions: dims,
      time,
      filters: fc.array(filterArb(), { maxLength: 2 }),
    })
    .map((c) => {
      // Weeks × two dimensions could pass the row cap; keep weeks to one dimension.
      const time = c.time && c.time.granularity === 'week' && c.dimensions.length > 1 ? undefined : c.time;
      return { ...c, time };
    });
}

function statesArb(): fc.Arbitrary<string[]> {
  const empty = allStates.filter((s) => !flightStates.includes(s));
  return fc.oneof(
    {
      arbitrary: fc.uniqueArray(fc.constantFrom(...flightStates), { minLength: 1, maxLength: 3 }),
      weight: 4,
    },
    { arbitrary: fc.uniqueArray(fc.constantFrom(...allStates), { minLength: 1, maxLength: 3 }), weight: 2 },
    { arbitrary: fc.uniqueArray(fc.constantFrom(...empty), { minLength: 1, maxLength: 2 }), weight: 1 },
  );
}

// ---- the query and its hand-written SQL --------------------------------------------------------

function toQuery(c: Case): QueryInput {
  const q: QueryInput = {
    measures: c.measures,
    dimensions: c.dimensions,
    filters: c.filters.map((f) => f.query),
    limit: LIMIT,
  };
  if (c.time) {
    q.timeDimensions = [
      {
        dimension: 'flights.date',
        ...(c.time.granularity ? { granularity: c.time.granularity } : {}),
        dateRange: [day(c.time.from), day(c.time.to)],
      },
    ];
  }
  return q;
}

/** The aggregate over flights leaving from `states` (all flights when undefined). */
function expectedSql(c: Case, states: string[] | undefined): string {
  const scope = states
    ? `SELECT flights.* FROM flights JOIN airports ON flights.origin = airports.iata
       WHERE airports.state IN (${states.map(lit).join(', ')})`
    : 'SELECT * FROM flights';
  const keys = c.dimensions.map((d) => `${DIMENSIONS[d]} AS "${d}"`);
  if (c.time?.granularity) keys.push(`date_trunc('${c.time.granularity}', f.date) AS "flights.date"`);
  const where = c.filters.map((f) => f.sql);
  if (c.time) {
    where.push(`f.date >= TIMESTAMP '${day(c.time.from)}'`, `f.date < TIMESTAMP '${day(c.time.to + 1)}'`);
  }
  const measures = c.measures.map((m) => `${MEASURES[m]} AS "${m}"`);
  return `WITH f AS (${scope})
    SELECT ${[...keys, ...measures].join(', ')}
    FROM f LEFT JOIN airports a ON f.origin = a.iata LEFT JOIN airports d ON f.destination = d.iata
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ${keys.length ? `GROUP BY ${keys.map((_, i) => i + 1).join(', ')}` : ''}`;
}

async function expected(c: Case, states: string[] | undefined): Promise<Row[]> {
  const { rows } = await duck.query(expectedSql(c, states), []);
  const g = c.time?.granularity;
  return rows.map((r) => {
    const out: Row = {};
    for (const [k, v] of Object.entries(r)) out[k] = typeof v === 'bigint' ? Number(v) : v;
    if (g) out[`flights.date.${g}`] = out['flights.date'] ?? null;
    return out;
  });
}

// ---- comparison --------------------------------------------------------------------------------

function close(a: ResultValue, b: ResultValue): boolean {
  if (a === null || b === null) return a === b;
  const x = Number(a);
  const y = Number(b);
  return x === y || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y), 1);
}

/** Same rows in any order: dimensions exactly, measures numerically within 1e-9 (relative). */
function expectSameRows(actual: Row[], wanted: Row[], c: Case, label: string): void {
  const measures = new Set(c.measures);
  const key = (r: Row) =>
    JSON.stringify(
      Object.keys(r)
        .filter((k) => !measures.has(k))
        .sort()
        .map((k) => [k, r[k]]),
    );
  const sort = (rows: Row[]) => [...rows].sort((p, q) => (key(p) < key(q) ? -1 : key(p) > key(q) ? 1 : 0));
  const a = sort(actual);
  const e = sort(wanted);
  const context = `${label}: ${JSON.stringify(toQuery(c))}`;
  expect(e.length, context).toBeLessThan(LIMIT);
  expect(a.length, context).toBe(e.length);
  a.forEach((row, i) => {
    const want = e[i]!;
    expect(Object.keys(row).sort(), context).toEqual(Object.keys(want).sort());
    expect(key(row), context).toBe(key(want));
    for (const m of measures) {
      if (!close(row[m] ?? null, want[m] ?? null)) {
        expect({ row: key(row), [m]: row[m] }, context).toEqual({ row: key(want), [m]: want[m] });
      }
    }
  });
}

const tenant = (states: string[]): SecurityOptions => ({ roles: ['default'], securityContext: { states } });

function run(driver: Driver, c: Case, security: SecurityOptions): Promise<Row[]> {
  return runQuery(model, driver, toQuery(c), { security }).then((r) => r.data);
}

// ---- properties ----------------------------------------------------------------------------------

describe('row-level security, property-based', () => {
  it('default role on DuckDB answers exactly the aggregate over its states’ flights', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb(), statesArb(), async (c, states) => {
        expectSameRows(await run(duck, c, tenant(states)), await expected(c, states), c, `states ${states}`);
      }),
      { numRuns: 40, seed: SEED, endOnFailure: true },
    );
  }, 120_000);

  // MySQL is the slowest on 3 000 000 flights: fewer runs, a longer limit.
  it.each<[string, () => Driver, number, number]>([
    ['PostgreSQL', () => pg, 15, SEED + 1],
    ['MySQL', () => my, 12, SEED + 5],
  ])(
    'default role on %s answers exactly the aggregate over its states’ flights',
    async (_, db, numRuns, seed) => {
      await fc.assert(
        fc.asyncProperty(caseArb(), statesArb(), async (c, states) => {
          expectSameRows(
            await run(db(), c, tenant(states)),
            await expected(c, states),
            c,
            `states ${states}`,
          );
        }),
        { numRuns, seed, endOnFailure: true },
      );
    },
    240_000,
  );

  it('no answer has a row whose origin lies outside the allowed states', async () => {
    const withOrigin = fc
      .uniqueArray(fc.constantFrom('flights.destination', 'destinations.state', 'airports.city'), {
        maxLength: 1,
      })
      .map((d) => ['flights.origin', ...d]);
    await fc.assert(
      fc.asyncProperty(
        caseArb({ dimensions: withOrigin }),
        statesArb(),
        fc.constantFrom(
          () => duck,
          () => pg,
          () => my,
        ),
        async (c, states, db) => {
          const rows = await run(db(), c, tenant(states));
          for (const r of rows) {
            const origin = String(r['flights.origin']);
            expect(states, `origin ${origin} of ${JSON.stringify(toQuery(c))}`).toContain(
              stateOf.get(origin),
            );
          }
        },
      ),
      { numRuns: 25, seed: SEED + 2, endOnFailure: true },
    );
  }, 120_000);

  it('role admin answers the unfiltered aggregate', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb(), async (c) => {
        expectSameRows(await run(duck, c, { roles: ['admin'] }), await expected(c, undefined), c, 'admin');
      }),
      { numRuns: 15, seed: SEED + 3, endOnFailure: true },
    );
  }, 120_000);

  it('roles default and admin together (union of policies) answer what admin answers', async () => {
    await fc.assert(
      fc.asyncProperty(
        caseArb(),
        statesArb(),
        fc.constantFrom<string[]>(['default', 'admin'], ['admin', 'default']),
        async (c, states, roles) => {
          const union = await run(duck, c, { roles, securityContext: { states } });
          const admin = await run(duck, c, { roles: ['admin'] });
          expectSameRows(union, admin, c, `roles ${roles}`);
        },
      ),
      { numRuns: 12, seed: SEED + 4, endOnFailure: true },
    );
  }, 120_000);
});
