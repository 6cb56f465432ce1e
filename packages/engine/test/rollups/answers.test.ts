/**
 * The key property: a query answered from a rollup gives exactly the database's answer. Every
 * rollup of the flights example is built (as the server would) into an in-memory DuckDB from the
 * test flights store, then every query of the engine's flights corpus runs both ways for three
 * tenants (CA, NY+NJ, admin) and the case's own security. The rollups are also built from
 * PostgreSQL and from MySQL and compared with those databases' answers.
 */
import type { Driver, QueryInput, SecurityOptions } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { flightsProjectDir, testDataPaths } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compileFromRollup,
  compileModel,
  type RollupLocator,
  readModelDir,
  rollupsOf,
} from '../../src/index.js';
import { ADMIN, type CorpusCase, flightsCorpus } from '../corpus/index.js';
import { buildRollup, compareAnswers } from './harness.js';

type Model = ReturnType<typeof compileModel>;

const CA: SecurityOptions = { roles: ['default'], securityContext: { states: ['CA'] } };
const NY_NJ: SecurityOptions = { roles: ['default'], securityContext: { states: ['NY', 'NJ'] } };
const TENANTS: [string, SecurityOptions][] = [
  ['CA', CA],
  ['NY+NJ', NY_NJ],
  ['admin', ADMIN],
];

let model: Model;
/** In-memory DuckDB: the flights store attached read-only as the source, rollups in `memory`. */
let duck: Driver;
let pg: Driver;
let my: Driver;
const tables = new Map<string, string>();
const locate: RollupLocator = (r) => tables.get(r.id);
const sizes = new Map<string, number>();
const tally = { eligible: 0, ineligible: 0, refused: 0, byRollup: new Map<string, number>() };
const reasons = new Map<string, number>();

beforeAll(async () => {
  model = compileModel(await readModelDir(flightsProjectDir));
  duck = createDriver('duckdb', {}, { poolSize: 1 });
  await duck.execute(`ATTACH '${testDataPaths().duckdbPath}' AS src (READ_ONLY); USE src;`);
  for (const r of rollupsOf(model)) {
    const table = `memory.main."rollup_${r.name}"`;
    sizes.set(r.id, await buildRollup(model, r, duck, duck, table));
    tables.set(r.id, table);
  }
  pg = createDriver('postgres', { url: testDataPaths().pgUrl }, { readOnly: true });
  my = createDriver('mysql', { url: testDataPaths().mysqlUrl }, { readOnly: true });
});

afterAll(async () => {
  await Promise.all([duck?.close(), pg?.close(), my?.close()]);
  const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 8);
  console.log(
    `rollup answers: ${tally.eligible} eligible, ${tally.ineligible} not, ${tally.refused} refused by both;`,
    Object.fromEntries(tally.byRollup),
    '\nmost frequent reasons:\n',
    top.map(([r, n]) => `  ${n} × ${r}`).join('\n'),
  );
});

const ROUTE_QUERIES: QueryInput[] = [
  {
    measures: ['flights.count', 'flights.avg_delay', 'flights.max_delay'],
    dimensions: ['flights.origin', 'flights.destination'],
    timeDimensions: [
      { dimension: 'flights.date', granularity: 'month', dateRange: ['2001-01-01', '2001-03-31'] },
    ],
    order: { 'flights.count': 'desc' },
    limit: 50,
  },
  {
    measures: ['flights.count', 'flights.total_distance'],
    dimensions: ['destinations.state'],
    timeDimensions: [
      { dimension: 'flights.date', granularity: 'quarter', dateRange: ['2001-01-01', '2001-06-30'] },
    ],
  },
];

/** A query's answer from the DuckDB-built rollups against DuckDB's, rows in any order. */
const unorderedOnDuckDB = (query: QueryInput, security: SecurityOptions, name: string) =>
  compareAnswers({ model, source: duck, store: duck, locate, query, security, name, ordered: false });

describe('flights rollups are built', () => {
  it('with one row per group', () => {
    // by_month: month × route (states follow the airports); by_origin_month: month × origin;
    // by_day: day × origin.
    expect(sizes.get('flights.by_month')).toBe(19_497);
    expect(sizes.get('flights.by_origin_month')).toBe(1_341);
    expect(sizes.get('flights.by_day')).toBe(39_952);
  });
});

describe('flights corpus: rollup answers equal the database', () => {
  for (const c of flightsCorpus) {
    it(c.name, async () => {
      const securities: [string, SecurityOptions][] = [...TENANTS];
      if (c.security && !TENANTS.some(([, s]) => s === c.security)) securities.push(['own', c.security]);
      for (const [label, security] of securities) {
        const outcome = await compareAnswers({
          model,
          source: duck,
          store: duck,
          locate,
          query: c.query,
          security,
          ...(c.now ? { now: new Date(c.now) } : {}),
          name: `${c.name} (${label})`,
          ordered: c.ordered,
        });
        if (outcome.rollup) {
          tally.eligible++;
          tally.byRollup.set(outcome.rollup, (tally.byRollup.get(outcome.rollup) ?? 0) + 1);
        } else if (outcome.reason) {
          tally.ineligible++;
          for (const r of outcome.reason.split('; ')) {
            const rule = r.replace(/^rollup [a-z_.]+: /, '');
            reasons.set(rule, (reasons.get(rule) ?? 0) + 1);
          }
        } else tally.refused++;
      }
    });
  }

  // The corpus has no route-by-month query with a date range: these are by_month's.
  for (const [i, query] of ROUTE_QUERIES.entries()) {
    it(`routes by month ${i + 1}`, async () => {
      for (const [label, security] of TENANTS) {
        const outcome = await unorderedOnDuckDB(query, security, `routes ${i + 1} (${label})`);
        expect(outcome.rollup).toBe('flights.by_month');
      }
    });
  }

  it('answers a good share of the corpus, and not all of it', () => {
    expect(tally.eligible).toBeGreaterThanOrEqual(60);
    expect(tally.ineligible).toBeGreaterThanOrEqual(60);
    for (const id of ['flights.by_origin_month', 'flights.by_day']) {
      expect(tally.byRollup.get(id), id).toBeGreaterThan(0);
    }
  });
});

describe('the overview dashboard is served from rollups', () => {
  const widgets = [
    { measures: ['flights.count'] },
    { measures: ['flights.count', 'flights.avg_delay'], dimensions: ['airports.state'] },
  ];
  for (const [label, security] of TENANTS) {
    it(label, async () => {
      for (const query of widgets) {
        const outcome = await unorderedOnDuckDB(query, security, JSON.stringify(query));
        expect(outcome.rollup).toBe('flights.by_origin_month');
      }
    });
  }
});

describe('what must not be answered from a rollup', () => {
  it('a filter on a member the rollup lacks', async () => {
    const outcome = await compareAnswers({
      model,
      source: duck,
      store: duck,
      locate,
      query: {
        measures: ['flights.count'],
        filters: [{ member: 'flights.delay', operator: 'gt', values: [60] }],
      },
      security: CA,
      name: 'delay filter',
      ordered: true,
    });
    expect(outcome.reason).toContain(
      'rollup flights.by_day: filter member flights.delay is not in the rollup',
    );
  });

  it("a tenant whose policy filter member the rollup lacks (an admin's query is still served)", async () => {
    const files = await readModelDir(flightsProjectDir);
    const variant = compileModel(
      files.map((f) =>
        f.path.endsWith('flights.cube.yml')
          ? {
              ...f,
              content: f
                .content!.replace(/\n\s+indexes:[\s\S]*?state\]/, '')
                .replaceAll('airports.state, ', '')
                .replaceAll(', airports.state]', ']'),
            }
          : f,
      ),
    );
    expect(rollupsOf(variant).every((r) => !r.dimensions.includes('airports.state'))).toBe(true);
    const query = {
      measures: ['flights.count'],
      timeDimensions: [{ dimension: 'flights.date', dateRange: ['2001-02-01', '2001-02-28'] }],
    };
    const built: RollupLocator = (r) => `rollup_${r.name}`;
    const tenant = compileFromRollup(variant, query, {
      security: CA,
      locate: built,
    });
    expect(tenant.rollup).toBeUndefined();
    expect(tenant).toMatchObject({
      reason: expect.stringContaining('security filter member airports.state is not in the rollup'),
    });
    const admin = compileFromRollup(variant, query, {
      security: ADMIN,
      locate: built,
    });
    expect(admin.rollup?.id).toBe('flights.by_origin_month');
  });
});

/**
 * Builds every rollup from `source` into the DuckDB store and compares answers from them with the
 * source's own for `cases` and every tenant; returns how often each rollup answered.
 */
async function answersFromSource(source: Driver, name: string, cases: readonly CorpusCase[]) {
  const built = new Map<string, string>();
  for (const r of rollupsOf(model)) {
    const table = `memory.main."${name}_rollup_${r.name}"`;
    // Rows are read from the source and loaded into the DuckDB types the rollup names.
    expect(await buildRollup(model, r, source, duck, table)).toBe(sizes.get(r.id));
    built.set(r.id, table);
  }
  const counts = new Map<string, number>();
  for (const c of cases) {
    for (const [label, security] of TENANTS) {
      const outcome = await compareAnswers({
        model,
        source,
        store: duck,
        locate: (r) => built.get(r.id),
        query: c.query,
        security,
        ...(c.now ? { now: new Date(c.now) } : {}),
        name: `${c.name} (${label}, ${name})`,
        ordered: c.ordered,
      });
      if (outcome.rollup) counts.set(outcome.rollup, (counts.get(outcome.rollup) ?? 0) + 1);
    }
  }
  return counts;
}

const routes = (): CorpusCase[] =>
  ROUTE_QUERIES.map((query, i) => ({ name: `routes ${i + 1}`, query, ordered: false }) as CorpusCase);

describe('PostgreSQL and MySQL as the source', () => {
  it('rollups built from PostgreSQL answer as PostgreSQL does', { timeout: 300_000 }, async () => {
    const counts = await answersFromSource(pg, 'postgres', [...flightsCorpus, ...routes()]);
    expect(counts.get('flights.by_month')).toBe(ROUTE_QUERIES.length * TENANTS.length);
    expect(counts.get('flights.by_origin_month')).toBeGreaterThan(20);
    expect(counts.get('flights.by_day')).toBeGreaterThan(20);
  });

  // MariaDB needs about a minute for the builds here, so only the route queries are compared.
  it('rollups built from MySQL answer as MySQL does', { timeout: 300_000 }, async () => {
    const counts = await answersFromSource(my, 'mysql', routes());
    expect(counts.get('flights.by_month')).toBe(ROUTE_QUERIES.length * TENANTS.length);
  });
});
