/**
 * Row-level security, deterministic cases. The flights policy fails closed on an incomplete
 * security context; the fixture model (fixtures/rls/models) covers member-level rules, policy
 * conditions, `{SECURITY_CONTEXT.x}` in a cube's SQL, token filters and view policies, on an
 * in-memory DuckDB filled here.
 *
 * orders (tenant, region, status, amount): acme: 1 EU shipped 100 | 2 EU pending 50 | 3 US shipped 70
 *   | 4 US shipped 30 | 5 APAC cancelled 10;  globex: 6 EU shipped 1000 | 7 US pending 500 | 8 APAC shipped 250
 * accounts (id, tenant_id): 1 7 | 2 7 | 3 8
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Driver, InlayError, type QueryInput, type SecurityOptions } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { flightsProjectDir, testDataPaths } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileModel, compileQuery, readModelDir, runQuery } from '../src/index.js';

type Model = ReturnType<typeof compileModel>;
const DIALECTS = ['duckdb', 'postgres', 'questdb', 'mysql'] as const;
const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'rls');

const SETUP_SQL = `
  CREATE TABLE orders (id INTEGER PRIMARY KEY, tenant VARCHAR, region VARCHAR, status VARCHAR,
    amount DOUBLE, secret_note VARCHAR, customer_email VARCHAR);
  INSERT INTO orders VALUES
    (1, 'acme', 'EU', 'shipped', 100, 'n1', 'a@x'), (2, 'acme', 'EU', 'pending', 50, 'n2', 'b@x'),
    (3, 'acme', 'US', 'shipped', 70, 'n3', 'c@x'), (4, 'acme', 'US', 'shipped', 30, 'n4', 'd@x'),
    (5, 'acme', 'APAC', 'cancelled', 10, 'n5', 'e@x'), (6, 'globex', 'EU', 'shipped', 1000, 'n6', 'f@x'),
    (7, 'globex', 'US', 'pending', 500, 'n7', 'g@x'), (8, 'globex', 'APAC', 'shipped', 250, 'n8', 'h@x');
  CREATE TABLE regions (code VARCHAR PRIMARY KEY, name VARCHAR);
  INSERT INTO regions VALUES ('EU', 'Europe'), ('US', 'United States'), ('APAC', 'Asia Pacific');
  CREATE TABLE islands (id INTEGER PRIMARY KEY, name VARCHAR);
  INSERT INTO islands VALUES (1, 'Skye');
  CREATE TABLE accounts (id INTEGER PRIMARY KEY, tenant_id INTEGER, plan VARCHAR);
  INSERT INTO accounts VALUES (1, 7, 'pro'), (2, 7, 'free'), (3, 8, 'pro');`;

let flights: Model;
let fixture: Model;
let duck: Driver;
let mem: Driver;

beforeAll(async () => {
  flights = compileModel(await readModelDir(flightsProjectDir));
  fixture = compileModel(await readModelDir(FIXTURE_DIR));
  duck = createDriver('duckdb', { path: testDataPaths().duckdbPath }, { readOnly: true });
  mem = createDriver('duckdb', {});
  await mem.execute(SETUP_SQL);
});

afterAll(async () => {
  await Promise.all([duck?.close(), mem?.close()]);
});

/** A driver that fails the test if the engine ever sends it SQL. */
const neverQueried: Driver = new Proxy({ dialect: 'duckdb' } as Driver, {
  get(target, prop) {
    if (prop === 'dialect') return target.dialect;
    return () => {
      throw new Error(`the engine called driver.${String(prop)} for a query it should have refused`);
    };
  },
});

/** The InlayError a call throws (sync or async); fails when it returns instead. */
async function refusal(run: () => unknown): Promise<InlayError> {
  let result: unknown;
  try {
    result = await run();
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(InlayError);
    const err = e as InlayError;
    expect(err.status, err.message).toBeGreaterThanOrEqual(400);
    expect(err.status, err.message).toBeLessThan(500);
    return err;
  }
  throw new Error(`expected a refusal, got ${JSON.stringify(result).slice(0, 500)}`);
}

/** Refused at compile time for every dialect, and no SQL ever reaches a driver. */
async function expectRefused(model: Model, query: QueryInput, security: SecurityOptions, code: string) {
  for (const dialect of DIALECTS) {
    const err = await refusal(() => compileQuery(model, query, { dialect, security }));
    expect(err.code, `${dialect}: ${err.message}`).toBe(code);
  }
  const err = await refusal(() => runQuery(model, neverQueried, query, { security }));
  expect(err.code, err.message).toBe(code);
}

const data = (model: Model, driver: Driver, query: QueryInput, security: SecurityOptions) =>
  runQuery(model, driver, query, { security }).then((r) => r.data);

describe('flights policy: an incomplete security context never yields data', () => {
  const queries: [string, QueryInput][] = [
    ['count', { measures: ['flights.count'] }],
    ['by origin', { measures: ['flights.avg_delay'], dimensions: ['flights.origin'] }],
    ['rooted at the public airports cube', { measures: ['airports.count'], dimensions: ['flights.origin'] }],
    ['rooted at destinations', { measures: ['destinations.count'], dimensions: ['flights.destination'] }],
    [
      'flights only in a filter',
      { measures: ['airports.count'], filters: [{ member: 'flights.delay', operator: 'gt', values: [0] }] },
    ],
  ];
  const contexts: [string, SecurityOptions, string][] = [
    ['missing states key', { roles: ['default'], securityContext: {} }, 'SECURITY_CONTEXT_MISSING'],
    ['no security context, no roles', {}, 'SECURITY_CONTEXT_MISSING'],
    ['states: []', { roles: ['default'], securityContext: { states: [] } }, 'SECURITY_CONTEXT_MISSING'],
    ['states: null', { roles: ['default'], securityContext: { states: null } }, 'SECURITY_CONTEXT_MISSING'],
    ['states: undefined', { securityContext: { states: undefined } }, 'SECURITY_CONTEXT_MISSING'],
    ['states: [null]', { securityContext: { states: [null] } }, 'SECURITY_CONTEXT_MISSING'],
    ['states: [["CA"]]', { securityContext: { states: [['CA']] } }, 'SECURITY_CONTEXT_MISSING'],
    ['states: {CA: true}', { securityContext: { states: { CA: true } } }, 'SECURITY_CONTEXT_MISSING'],
    [
      'states only on the prototype',
      { securityContext: Object.create({ states: ['CA'] }) as Record<string, unknown> },
      'SECURITY_CONTEXT_MISSING',
    ],
    [
      'role without a policy entry',
      { roles: ['viewer'], securityContext: { states: ['CA'] } },
      'ACCESS_DENIED',
    ],
    ['unknown roles only', { roles: ['Admin', 'admin '], securityContext: {} }, 'ACCESS_DENIED'],
  ];
  for (const [what, security, code] of contexts) {
    for (const [shape, query] of queries) {
      it(`${what} → ${code} (${shape})`, () => expectRefused(flights, query, security, code));
    }
  }

  it('states: [] is refused on the real database too, never answered with every row', async () => {
    const err = await refusal(() =>
      runQuery(
        flights,
        duck,
        { measures: ['flights.count'] },
        { security: { securityContext: { states: [] } } },
      ),
    );
    expect(err.code).toBe('SECURITY_CONTEXT_MISSING');
  });

  it('a role without a policy next to one with a policy gets that policy', async () => {
    const ca = { measures: ['flights.count'] };
    const want = await duck.query(
      `SELECT count(*) AS n FROM flights f JOIN airports a ON f.origin = a.iata WHERE a.state = 'CA'`,
      [],
    );
    const n = Number(want.rows[0]!.n);
    expect(n).toBeGreaterThan(0);
    for (const security of [
      { roles: ['viewer', 'default'], securityContext: { states: ['CA'] } },
      { roles: [], securityContext: { states: ['CA'] } },
      { securityContext: { states: 'CA' } },
    ]) {
      expect(await data(flights, duck, ca, security)).toEqual([{ 'flights.count': n }]);
    }
  });
});

describe('fixture model: member-level rules and conditions', () => {
  const acme = (roles: string[], extra: Record<string, unknown> = {}): SecurityOptions => ({
    roles,
    securityContext: { tenant: 'acme', region: 'US', ...extra },
  });

  it('a member excluded for the role is refused as a dimension, a filter and a measure', async () => {
    await expectRefused(
      fixture,
      { measures: ['orders.count'], dimensions: ['orders.secret_note'] },
      acme(['analyst']),
      'ACCESS_DENIED',
    );
    await expectRefused(
      fixture,
      { measures: ['orders.count'], filters: [{ member: 'orders.customer_email', operator: 'set' }] },
      acme(['analyst']),
      'ACCESS_DENIED',
    );
    await expectRefused(fixture, { measures: ['orders.total_amount'] }, acme(['clerk']), 'ACCESS_DENIED');
  });

  it('members the role may see answer, with the role’s row filter', async () => {
    expect(
      await data(fixture, mem, { measures: ['orders.count', 'orders.total_amount'] }, acme(['analyst'])),
    ).toEqual([{ 'orders.count': 2, 'orders.total_amount': 100 }]);
    const clerk = await data(
      fixture,
      mem,
      { measures: ['orders.count'], dimensions: ['orders.status'], order: { 'orders.status': 'asc' } },
      acme(['clerk']),
    );
    expect(clerk).toEqual([
      { 'orders.status': 'cancelled', 'orders.count': 1 },
      { 'orders.status': 'pending', 'orders.count': 1 },
      { 'orders.status': 'shipped', 'orders.count': 3 },
    ]);
  });

  it('two roles see the union: the manager’s members and rows', async () => {
    const rows = await data(
      fixture,
      mem,
      {
        measures: ['orders.count'],
        dimensions: ['orders.secret_note'],
        order: { 'orders.secret_note': 'asc' },
      },
      acme(['analyst', 'manager']),
    );
    expect(rows.map((r) => r['orders.secret_note'])).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
  });

  it('a policy with a condition applies only while the condition holds', async () => {
    const q = { measures: ['orders.count'] };
    expect(await data(fixture, mem, q, acme(['auditor'], { is_admin: true }))).toEqual([
      { 'orders.count': 5 },
    ]);
    await expectRefused(fixture, q, acme(['auditor'], { is_admin: false }), 'ACCESS_DENIED');
    for (const dialect of DIALECTS) {
      // A condition that cannot be evaluated grants nothing (refused either way).
      await refusal(() => compileQuery(fixture, q, { dialect, security: acme(['auditor']) }));
    }
  });
});

describe('fixture model: {SECURITY_CONTEXT.tenant} in the cube SQL', () => {
  const q = { measures: ['orders.count', 'orders.total_amount'] };

  it('keeps the tenant’s rows only', async () => {
    const globex = { roles: ['manager'], securityContext: { tenant: 'globex' } };
    expect(await data(fixture, mem, q, globex)).toEqual([{ 'orders.count': 3, 'orders.total_amount': 1750 }]);
    const nobody = { roles: ['manager'], securityContext: { tenant: "acme' OR '1'='1" } };
    expect(await data(fixture, mem, q, nobody)).toEqual([{ 'orders.count': 0, 'orders.total_amount': null }]);
  });

  it('a missing, null or empty tenant is refused or matches nothing, never every tenant', async () => {
    await expectRefused(fixture, q, { roles: ['manager'], securityContext: {} }, 'SECURITY_CONTEXT_MISSING');
    await expectRefused(fixture, q, { roles: ['manager'] }, 'SECURITY_CONTEXT_MISSING');
    await expectRefused(
      fixture,
      q,
      { roles: ['manager'], securityContext: { tenant: null } },
      'SECURITY_CONTEXT_MISSING',
    );
    const empty = { roles: ['manager'], securityContext: { tenant: [] } };
    const rows = await runQuery(fixture, mem, q, { security: empty }).then(
      (r) => r.data,
      (e: unknown) => (e instanceof InlayError && e.status < 500 ? [] : Promise.reject(e)),
    );
    expect(rows.filter((r) => Number(r['orders.count']) > 0)).toEqual([]);
  });

  it('security values reach SQL only as bound parameters, in every dialect', () => {
    const security = {
      roles: ['analyst'],
      securityContext: { tenant: 'tenant-secret-7f3a', region: 'region-secret-91b2' },
    };
    for (const dialect of DIALECTS) {
      for (const query of [
        { measures: ['orders.count'], dimensions: ['orders.region'] },
        { measures: ['orders_view.count'], dimensions: ['orders_view.regions_name'] },
      ]) {
        const c = compileQuery(fixture, query, { dialect, security });
        expect(c.sql).not.toContain('secret');
        expect(c.params).toContain('tenant-secret-7f3a');
        expect(c.params).toContain('region-secret-91b2');
      }
    }
  });

  it('an error about a security value does not repeat the value', async () => {
    // accounts filters tenant_id (a number) by securityContext.account_id.
    expect(
      await data(fixture, mem, { measures: ['accounts.count'] }, { securityContext: { account_id: 7 } }),
    ).toEqual([{ 'accounts.count': 2 }]);
    const secret = 'secret-ÆØÅ-42';
    const err = await refusal(() =>
      compileQuery(
        fixture,
        { measures: ['accounts.count'] },
        { dialect: 'duckdb', security: { securityContext: { account_id: secret } } },
      ),
    );
    expect(err.message).not.toContain(secret);
    expect(JSON.stringify(err.toJSON())).not.toContain(secret);
  });
});

describe('fixture model: token filters', () => {
  const manager = { roles: ['manager'], securityContext: { tenant: 'acme' } };
  const eu = { member: 'orders.region', operator: 'equals' as const, values: ['EU'] };
  const byRegion = { measures: ['orders.count'], dimensions: ['orders.region'] };

  it('are always applied: the answer equals the query with the filter added', async () => {
    const withToken = await data(fixture, mem, byRegion, { ...manager, filters: [eu] });
    const withQueryFilter = await data(fixture, mem, { ...byRegion, filters: [eu] }, manager);
    expect(withToken).toEqual([{ 'orders.region': 'EU', 'orders.count': 2 }]);
    expect(withToken).toEqual(withQueryFilter);
  });

  it('cannot be widened by the query’s own filters', async () => {
    const security = { ...manager, filters: [eu] };
    const tautology = {
      or: [
        { member: 'orders.region', operator: 'equals', values: ['US'] },
        { member: 'orders.region', operator: 'notEquals', values: ['US'] },
      ],
    };
    expect(await data(fixture, mem, { ...byRegion, filters: [tautology] }, security)).toEqual([
      { 'orders.region': 'EU', 'orders.count': 2 },
    ]);
    const us = { member: 'orders.region', operator: 'equals', values: ['US'] };
    expect(await data(fixture, mem, { ...byRegion, filters: [us] }, security)).toEqual([]);
    // Same for a token filter on a member the role may not query itself.
    const hidden = { ...manager, roles: ['analyst'], securityContext: { tenant: 'acme', region: 'US' } };
    const onHidden = [{ member: 'orders.secret_note', operator: 'equals' as const, values: ['n4'] }];
    expect(
      await data(fixture, mem, { measures: ['orders.count'] }, { ...hidden, filters: onHidden }),
    ).toEqual([{ 'orders.count': 1 }]);
  });

  it('on a member no join path reaches: refused with JOIN_PATH', async () => {
    const security = {
      ...manager,
      filters: [{ member: 'islands.name', operator: 'equals' as const, values: ['Skye'] }],
    };
    await expectRefused(fixture, { measures: ['orders.count'] }, security, 'JOIN_PATH');
  });

  it('on a measure: applied after aggregation, or the query is refused', async () => {
    // acme per region: EU 2, US 2, APAC 1. Only APAC passes `count < 2`.
    const security = {
      ...manager,
      filters: [{ member: 'orders.count', operator: 'lt' as const, values: [2] }],
    };
    const answer = await runQuery(fixture, mem, byRegion, { security }).then(
      (r) => r.data,
      (e: unknown) => (e instanceof InlayError && e.status < 500 ? 'refused' : Promise.reject(e)),
    );
    if (answer !== 'refused') expect(answer).toEqual([{ 'orders.region': 'APAC', 'orders.count': 1 }]);
  });
});

describe('fixture model: a view with its own access policy', () => {
  const analyst = { roles: ['analyst'], securityContext: { tenant: 'acme', region: 'US' } };
  const manager = { roles: ['manager'], securityContext: { tenant: 'acme' } };

  it('applies the view’s and the cube’s policies together', async () => {
    const query = {
      measures: ['orders_view.count', 'orders_view.total_amount'],
      dimensions: ['orders_view.status', 'orders_view.regions_name'],
    };
    // View: status = shipped; cube: region = US; cube SQL: tenant = acme → orders 3 and 4.
    expect(await data(fixture, mem, query, analyst)).toEqual([
      {
        'orders_view.status': 'shipped',
        'orders_view.regions_name': 'United States',
        'orders_view.count': 2,
        'orders_view.total_amount': 100,
      },
    ]);
    for (const dialect of DIALECTS) {
      const { params } = compileQuery(fixture, query, { dialect, security: analyst });
      expect(params).toEqual(expect.arrayContaining(['acme', 'shipped', 'US']));
    }
  });

  it('member rules of both: the view hides, and the cube hides what the view includes', async () => {
    await expectRefused(
      fixture,
      { measures: ['orders_view.count'], dimensions: ['orders_view.regions_name'] },
      manager,
      'ACCESS_DENIED',
    );
    await expectRefused(
      fixture,
      { measures: ['orders_view.count'], dimensions: ['orders_view.secret_note'] },
      analyst,
      'ACCESS_DENIED',
    );
  });

  it('a role the view has no policy for is refused, even when the cube admits it', async () => {
    const clerk = { roles: ['clerk'], securityContext: { tenant: 'acme' } };
    expect(await data(fixture, mem, { measures: ['orders.count'] }, clerk)).toEqual([{ 'orders.count': 5 }]);
    await expectRefused(fixture, { measures: ['orders_view.count'] }, clerk, 'ACCESS_DENIED');
  });

  it('the manager sees every row of the tenant through the view', async () => {
    expect(await data(fixture, mem, { measures: ['orders_view.count'] }, manager)).toEqual([
      { 'orders_view.count': 5 },
    ]);
  });
});
