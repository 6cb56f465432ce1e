/**
 * The injection corpus over HTTP, through every field of `/api/v1/load` and through a security
 * token's context and filters, on DuckDB (`default`) and PostgreSQL (environment `pg`). Every
 * answer is either right (0 rows for an equals on a hostile string) or a 4xx `{errorMessage}` with
 * no stack and no long echo of the payload — never a 5xx. The SQL `/api/v1/sql` shows never holds a
 * hostile value (it is the SQL of a harmless value), and both `flights` tables keep their 3,000,000
 * rows. Logs and answers never carry a token, the API key or a security-context value.
 */
import { randomBytes } from 'node:crypto';
import { type Driver, FILTER_OPERATORS, type FilterOperator } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { testDataPaths } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matches, STRING_OPS } from '../../engine/test/filter-oracle.js';
import { API_KEY, AUTH } from './helpers.js';
import { pgParts, type StoreTestApp, storeTestApp } from './store-app.js';
import { bearer, issue } from './token-helpers.js';

type Res = Awaited<ReturnType<StoreTestApp['app']['inject']>>;
type Row = Record<string, unknown>;

const HUNDRED_KB = "'; DROP TABLE flights; --".repeat(4200).slice(0, 100_000);
const PAYLOADS: [string, string][] = [
  ['drop table', "'; DROP TABLE flights; --"],
  ['or 1=1', "' OR '1'='1"],
  ['quotes', `'"\`''""`],
  ['backslash', '\\'],
  ['backslash quote', "\\'; DROP TABLE airports; --"],
  ['like wildcards', '%_'],
  ['comment', '/* */ --'],
  ['placeholder', '$1'],
  ['semicolon select', 'x; SELECT pg_sleep(5)'],
  ['unicode', '\u202Eשלום مرحبا\u202C 🚀💥👩‍💻 \uFEFF'],
  ['nul', 'a\u0000b'],
  ['100 kB', HUNDRED_KB],
  ['1e309', '1e309'],
  ['-0', '-0'],
  ['template', '{ securityContext.states }'],
];
// Every operator the query schema takes: the date ones on a date member, the rest on a text one.
const DATE_OPS = FILTER_OPERATORS.filter((op) => op.includes('Date'));
const OPS = FILTER_OPERATORS.filter((op) => !op.includes('Date'));
/** Appended to every security-context value: the logs and the answers must never show it. */
const MARK = `ctx-secret-${randomBytes(6).toString('hex')}`;
const ENVS = [
  ['duckdb', undefined],
  ['postgres', 'pg'],
] as const;

let t: StoreTestApp;
const dbs: Record<string, Driver> = {};
const tokens: string[] = [];
/** Every answer of /load and /meta (not /sql, whose params are the bound values by design). */
const bodies: string[] = [];
let cities: string[] = [];
let caFlights = 0;

beforeAll(async () => {
  t = await storeTestApp('sqlite');
  const pg = { name: 'pg', type: 'postgres', credentials: pgParts() };
  expect((await post('/api/v1/connections', pg)).statusCode).toBe(201);
  const env = { name: 'pg', datasources: [{ data_source: 'default', connection: 'pg' }] };
  expect((await post('/api/v1/environments', env)).statusCode).toBe(201);
  dbs.duckdb = createDriver('duckdb', { path: testDataPaths().duckdbPath }, { readOnly: true });
  dbs.postgres = createDriver('postgres', { url: testDataPaths().pgUrl });
  cities = (await dbs.duckdb.query('SELECT city FROM airports', [])).rows.map((r) => String(r.city));
  caFlights = await sqlCount(
    dbs.duckdb,
    `SELECT count(*) AS n FROM flights f JOIN airports a ON f.origin = a.iata WHERE a.state = 'CA'`,
  );
});
afterAll(async () => {
  await Promise.all(Object.values(dbs).map((d) => d.close()));
  await t?.close();
});

const sqlCount = async (d: Driver, sql: string, params: string[] = []) =>
  Number((await d.query(sql, params)).rows[0]!.n);

function post(url: string, payload: unknown, headers: Record<string, string> = AUTH): Promise<Res> {
  return t.app.inject({ method: 'POST', url, headers, payload: payload as object });
}

/** `/load`; the answer must be a 200 or a clean 4xx. */
async function load(
  body: Row,
  headers: Record<string, string> = AUTH,
  hostile: unknown = body,
): Promise<Res> {
  const res = await post('/api/v1/load', body, headers);
  bodies.push(res.body);
  expectSafe(res, hostile);
  return res;
}

/** Strings of at least 4 characters inside a value (the ones worth looking for in SQL and echoes). */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string' && v.length > 3) out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) strings([k, x], out);
  return out;
}

/** 200, or a 4xx `{errorMessage}` without a stack and without more than 100 characters of the payload. */
function expectSafe(res: Res, hostile: unknown): void {
  const what = `${res.statusCode}: ${res.body.slice(0, 300)}`;
  expect(res.statusCode, what).toBeLessThan(500);
  if (res.statusCode === 200) return;
  expect(res.statusCode, what).toBeGreaterThanOrEqual(400);
  const body = res.json();
  expect(typeof body.errorMessage, what).toBe('string');
  expect(res.body, what).not.toMatch(/\n\s+at |"stack"/);
  expect(res.body.length, what).toBeLessThan(2_000);
  for (const s of strings(hostile)) {
    for (let i = 0; i + 101 <= s.length && i < 300; i += 25)
      expect(res.body, what).not.toContain(s.slice(i, i + 101));
  }
}

/** The SQL text `/api/v1/sql` shows, or undefined when the request is refused (4xx). */
async function sqlText(body: Row): Promise<string | undefined> {
  const res = await post('/api/v1/sql', body);
  expectSafe(res, body);
  if (res.statusCode !== 200) return undefined;
  const { sql, total } = res.json();
  return `${sql}\n${total?.sql ?? ''}`;
}

/** The payload is refused, or bound: the SQL is the SQL of a harmless value and never holds it. */
async function expectBound(make: (v: unknown) => Row, payload: unknown, benign: unknown): Promise<void> {
  const got = await sqlText(make(payload));
  if (got === undefined) return;
  expect(got).toBe(await sqlText(make(benign)));
  for (const s of strings(payload)) expect(got).not.toContain(s);
}

const count = (res: Res, key = 'flights.count') =>
  res.statusCode === 200 ? Number(res.json().data[0]?.[key] ?? 0) : undefined;

describe.each(ENVS)('the injection corpus through /load on %s', (dbName, environment) => {
  const env = environment ? { environment } : {};
  const admin = (query: Row): Row => ({ query, roles: ['admin'], ...env });

  describe.each(PAYLOADS)('payload %s', (_name, payload) => {
    it('as a filter value of every operator: answered exactly, or refused', async () => {
      for (const operator of OPS) {
        const make = (v: unknown) =>
          admin({
            measures: ['airports.count'],
            filters: [{ member: 'airports.city', operator, values: [v] }],
          });
        const res = await load(make(payload));
        await expectBound(make, payload, 'zz');
        if (res.statusCode !== 200) continue;
        const got = count(res, 'airports.count');
        if (operator === 'set' || operator === 'notSet') continue;
        if (STRING_OPS.includes(operator)) {
          expect(got, operator).toBe(cities.filter((c) => matches(operator, c, payload)).length);
        } else {
          const sign = (
            { gt: '>', gte: '>=', lt: '<', lte: '<=' } as Partial<Record<FilterOperator, string>>
          )[operator]!;
          const want = await sqlCount(
            dbs[dbName]!,
            `SELECT count(*) AS n FROM airports WHERE city ${sign} $1`,
            [payload],
          );
          expect(got, operator).toBe(want);
        }
      }
    });

    it('in number and date filters, date ranges and time zones: refused unless it is a value', async () => {
      for (const operator of ['gt', 'equals', 'lte']) {
        const make = (v: unknown) =>
          admin({
            measures: ['flights.count'],
            filters: [{ member: 'flights.delay', operator, values: [v] }],
          });
        const res = await load(make(payload));
        await expectBound(make, payload, 1);
        if (res.statusCode === 200) expect(payload, operator).toBe('-0');
      }
      for (const operator of [...DATE_OPS, 'equals']) {
        const values = operator.includes('Range') ? [payload, '2001-02-01'] : [payload];
        const make = (v: unknown) =>
          admin({
            measures: ['flights.count'],
            filters: [{ member: 'flights.date', operator, values: [v] }],
          });
        const res = await load(make(values[0]));
        expect(res.statusCode, operator).toBeGreaterThanOrEqual(400);
        await load(
          admin({ measures: ['flights.count'], filters: [{ member: 'flights.date', operator, values }] }),
        );
      }
      const td = (dateRange: unknown) =>
        admin({ measures: ['flights.count'], timeDimensions: [{ dimension: 'flights.date', dateRange }] });
      for (const range of [payload, [payload, '2001-02-01'], ['2001-01-01', payload]]) {
        expect((await load(td(range))).statusCode).toBeGreaterThanOrEqual(400);
      }
      const tz = await load(admin({ measures: ['flights.count'], timezone: payload }));
      expect(tz.statusCode).toBeGreaterThanOrEqual(400);
    });

    it('as member names, segments, order, granularity, operator, limit, offset, roles and environment: refused', async () => {
      const q = (extra: Row) => ({ measures: ['flights.count'], ...extra });
      const bad: Row[] = [
        admin({ measures: [payload] }),
        admin({ measures: [`flights.count${payload}`] }),
        admin(q({ dimensions: [payload] })),
        admin(q({ dimensions: [`flights.${payload}`] })),
        admin(q({ timeDimensions: [{ dimension: payload, granularity: 'day' }] })),
        admin(q({ timeDimensions: [{ dimension: 'flights.date', granularity: payload }] })),
        admin(q({ segments: [payload] })),
        admin(q({ segments: [`flights.${payload}`] })),
        admin(q({ filters: [{ member: payload, operator: 'set' }] })),
        admin(q({ filters: [{ member: 'flights.origin', operator: payload, values: ['x'] }] })),
        admin(q({ filters: [{ or: [{ member: `flights.${payload}`, operator: 'set' }] }] })),
        admin(q({ order: { [payload]: 'asc' } })),
        admin(q({ order: [[payload, 'desc']] })),
        admin(q({ order: [[`flights.count${payload}`, 'desc']] })),
        admin(q({ order: { 'flights.count': payload } })),
        admin(q({ limit: payload })),
        admin(q({ offset: payload })),
        { query: q({}), roles: [payload], ...env },
        { query: q({}), roles: ['admin'], environment: payload },
      ];
      for (const body of bad) {
        const res = await load(body);
        expect(res.statusCode, JSON.stringify(body).slice(0, 200)).toBeGreaterThanOrEqual(400);
        expect(res.json().data).toBeUndefined();
      }
    });

    it('in the preview security context: bound, never widening', async () => {
      const make = (states: unknown) => ({
        query: { measures: ['flights.count'] },
        securityContext: { states },
        ...env,
      });
      for (const states of [[payload], payload, { nested: payload }, [[payload]], [{ a: payload }]]) {
        const res = await load(make(states));
        if (res.statusCode === 200) expect(count(res), JSON.stringify(states).slice(0, 80)).toBe(0);
        await expectBound(make, states, ['zz']);
      }
      // A value the engine refuses to bind (NUL, oversized) refuses the whole context: a 4xx, not CA's rows.
      const withCa = await load(make(['CA', payload]));
      if (withCa.statusCode === 200) expect(count(withCa)).toBe(caFlights);
      else expect(withCa.json().data).toBeUndefined();
    });
  });

  it('limit and offset of the wrong kind are refused; 1e309 and raw text never reach the database', async () => {
    for (const v of [-1, 1.5, '10', 2 ** 53 + 2, null, {}, [1], true, '1; DROP TABLE flights']) {
      for (const key of ['limit', 'offset']) {
        const res = await load(admin({ measures: ['flights.count'], [key]: v }));
        if (res.statusCode === 200) expect(v, key).toBe(2 ** 53 + 2);
      }
    }
    const raw = `{"query": {"measures": ["flights.count"], "limit": 1e309}, "roles": ["admin"]${
      environment ? `, "environment": "${environment}"` : ''
    }}`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/load',
      headers: { ...AUTH, 'content-type': 'application/json' },
      payload: raw,
    });
    expectSafe(res, raw);
    expect(res.statusCode).toBe(400);
  });
});

/** A token for flights-overview with `securityContext`, or the 4xx that refused issuing it. */
async function tokenWith(body: Row): Promise<string | Res> {
  const res = await issue(t, { embeddableId: 'flights-overview', user: 'u-1', ...body });
  expectSafe(res, body);
  if (res.statusCode !== 200) return res;
  const token = res.json().token as string;
  tokens.push(token);
  return token;
}

describe.each(ENVS)('hostile security contexts and filters in a token on %s', (_dbName, environment) => {
  const env = environment ? { environment } : {};
  const marked = (p: string) => `${p}${MARK}`;
  const contexts = (p: string): [string, Row, number][] => [
    ['states: [p]', { states: [marked(p)] }, 0],
    ['states: p', { states: marked(p) }, 0],
    ['states: ["CA", p]', { states: ['CA', marked(p)] }, caFlights],
    ['nested object', { states: { nested: marked(p), deeper: { x: [marked(p)] } } }, 0],
    ['array of objects', { states: [{ state: marked(p) }, { state: 'CA' }] }, 0],
    ['nested array', { states: [[marked(p)]] }, 0],
    ['hostile key', { states: ['CA'], [`k-${MARK}-${p.slice(0, 100)}`]: marked(p) }, caFlights],
  ];

  for (const [name, payload] of PAYLOADS) {
    it(`payload ${name}: each context answers its rows (0 for a hostile state) or a clean 4xx`, async () => {
      for (const [label, securityContext, want] of contexts(payload)) {
        const token = await tokenWith({ securityContext, ...env });
        if (typeof token !== 'string') continue;
        for (const query of [
          { measures: ['flights.count'] },
          { measures: ['flights.count'], dimensions: ['airports.state'], order: { 'airports.state': 'asc' } },
        ]) {
          const res = await load({ query }, bearer(token), securityContext);
          if (res.statusCode !== 200) continue;
          const total = res.json().data.reduce((s: number, r: Row) => s + Number(r['flights.count']), 0);
          expect(total, label).toBe(want);
        }
      }
    });

    it(`payload ${name}: in the token's filters, applied like a query filter`, async () => {
      for (const [operator, want] of [
        ['equals', 0],
        ['notEquals', caFlights],
        ['contains', 0],
        ['startsWith', 0],
      ] as const) {
        const filters = [{ member: 'flights.origin', operator, values: [payload] }];
        const token = await tokenWith({ securityContext: { states: ['CA'] }, filters, ...env });
        if (typeof token !== 'string') continue;
        const res = await load({ query: { measures: ['flights.count'] } }, bearer(token), filters);
        if (res.statusCode === 200 && payload !== '%_') expect(count(res), operator).toBe(want);
      }
    });
  }

  it('numbers as strings, numbers, booleans and nulls as states match nothing', async () => {
    for (const states of [['123'], [123], ['0'], [0], [true], [null], ['CA ', ' CA', 'ca']]) {
      const token = await tokenWith({ securityContext: { states, tag: MARK }, ...env });
      if (typeof token !== 'string') continue;
      const res = await load({ query: { measures: ['flights.count'] } }, bearer(token), states);
      if (res.statusCode === 200) expect(count(res), JSON.stringify(states)).toBe(0);
    }
  });
});

describe('afterwards', () => {
  it('both flights tables still have 3,000,000 rows and the airports are all there', async () => {
    for (const [name, db] of Object.entries(dbs)) {
      expect(await sqlCount(db, 'SELECT count(*) AS n FROM flights'), name).toBe(3_000_000);
      expect(await sqlCount(db, 'SELECT count(*) AS n FROM airports'), name).toBe(cities.length);
    }
  });

  it('no log line and no answer carries a token, the API key or a security-context value', async () => {
    const meta = await t.app.inject({ method: 'GET', url: '/api/v1/meta', headers: bearer(tokens[0]!) });
    bodies.push(meta.body);
    expect(tokens.length).toBeGreaterThan(50);
    const logs = t.logs.join('\n');
    expect(logs).toContain('"msg":"load"');
    expect(logs).toContain('"msg":"request"');
    const all = `${logs}\n${bodies.join('\n')}`;
    for (const token of tokens) {
      const [, payload, signature] = token.split('.');
      expect(all.includes(payload!), 'token payload').toBe(false);
      expect(all.includes(signature!), 'token signature').toBe(false);
    }
    for (const secret of [API_KEY, MARK, 'Bearer ']) expect(all.includes(secret), secret).toBe(false);
  });
});
