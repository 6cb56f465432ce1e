import { QUERY_LIMITS } from '@inlay/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../src/index.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../src/plugins/json-body.js';
import { AUTH, type TestApp, testApp } from './helpers.js';
import { bearer, issue, SECRET } from './token-helpers.js';

/** What the routes asked of the workspace: a refused query must ask nothing (no compile, no database). */
const asked = { models: 0, drivers: 0 };
const counting = (w: Workspace): Workspace => ({
  ...w,
  getModel: (version) => {
    asked.models++;
    return w.getModel(version);
  },
  getDriver: (dataSource, environment) => {
    asked.drivers++;
    return w.getDriver(dataSource, environment);
  },
});

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = testApp({ secretKey: SECRET, wrapWorkspace: counting });
  await t.app.ready();
  const res = await issue(t, { embeddableId: 'flights-overview', user: 'u-1', roles: ['admin'] });
  token = res.json().token;
});
afterAll(() => t.app.close());

const ADMIN = { roles: ['admin'] };
const COUNT = 'flights.count';
const codes = (n: number) => Array.from({ length: n }, (_, i) => `Z${i}`);
const origin = (values: string[]) => ({ member: 'flights.origin', operator: 'equals', values });
const nested = (levels: number, key: 'and' | 'or' = 'and') => {
  let f: object = origin(['LAX']);
  for (let i = 0; i < levels; i++) f = { [key]: [f] };
  return f;
};
/** The same nesting as JSON text: building it as an object would overflow JSON.stringify. */
const nestedText = (levels: number) =>
  `{"query":{"measures":["${COUNT}"],"filters":[${'{"or":['.repeat(levels)}{"member":"flights.origin","operator":"set"}${']}'.repeat(levels)}]},"roles":["admin"]}`;

async function post(url: string, payload: string | object, headers: Record<string, string> = AUTH) {
  const before = { ...asked };
  const started = performance.now();
  const res = await t.app.inject({
    method: 'POST',
    url,
    headers: { ...headers, 'content-type': 'application/json' },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  const ms = Math.round(performance.now() - started);
  return { res, ms, work: { models: asked.models - before.models, drivers: asked.drivers - before.drivers } };
}
const load = (query: object, headers?: Record<string, string>) =>
  post('/api/v1/load', headers ? { query } : { query, ...ADMIN }, headers);

/** A 400 that names the limit, answered before the workspace was asked for a model or a driver. */
function refused(r: Awaited<ReturnType<typeof post>>, message: string | RegExp): void {
  expect(r.res.statusCode, r.res.body).toBe(400);
  expect(r.res.json().code).toBe('QUERY_INVALID');
  if (typeof message === 'string') expect(r.res.json().errorMessage).toContain(message);
  else expect(r.res.json().errorMessage).toMatch(message);
  expect(r.work).toEqual({ models: 0, drivers: 0 });
}

const MEMBERS_MESSAGE =
  'query.measures: 10000 members, the limit is 200 (measures + dimensions + timeDimensions + segments)';

describe('query limits at the door', () => {
  it('10 000 members is a 400 naming the limit, with no compile and no database work', async () => {
    const r = await load({ measures: Array(10_000).fill(COUNT) });
    refused(r, `body.${MEMBERS_MESSAGE}`);
    console.log(`10 000 members refused in ${r.ms} ms`);
  });

  it('holds for a security token and for the dry run', async () => {
    refused(await load({ measures: Array(10_000).fill(COUNT) }, bearer(token)), MEMBERS_MESSAGE);
    refused(await post('/api/v1/sql', { query: { measures: Array(10_000).fill(COUNT) } }), MEMBERS_MESSAGE);
  });

  it('members are counted over measures, dimensions, time dimensions and segments', async () => {
    const r = await load({
      measures: Array(150).fill(COUNT),
      dimensions: Array(40).fill('flights.origin'),
      timeDimensions: Array(11).fill({ dimension: 'flights.date' }),
    });
    refused(r, 'body.query.measures: 201 members, the limit is 200');
  });

  it('filters nested 1 000 and 100 000 levels deep are a 400, not a stack overflow', async () => {
    for (const levels of [1_000, 100_000]) {
      const r = await post('/api/v1/load', nestedText(levels));
      refused(r, `the JSON body nests ${2 * levels + 4} levels deep, the limit is ${MAX_JSON_DEPTH}`);
      console.log(`${levels} levels refused in ${r.ms} ms`);
    }
    const withToken = await post(
      '/api/v1/load',
      nestedText(1_000).replace(',"roles":["admin"]', ''),
      bearer(token),
    );
    refused(withToken, 'the JSON body nests');
  });

  it('and/or groups one past the depth limit are refused with the path; at the limit they run', async () => {
    const over = await load({ measures: [COUNT], filters: [nested(QUERY_LIMITS.depth + 1, 'or')] });
    refused(
      over,
      `body.query.filters[0]${'.or[0]'.repeat(QUERY_LIMITS.depth)}.or: and/or groups nested 11 deep, the limit is 10`,
    );

    const plain = await load({ measures: [COUNT], filters: [origin(['LAX'])] });
    const deep = await load({ measures: [COUNT], filters: [nested(QUERY_LIMITS.depth)] });
    expect(deep.res.statusCode, deep.res.body).toBe(200);
    expect(deep.res.json().data).toEqual(plain.res.json().data);
    expect(plain.res.json().data[0][COUNT]).toBeGreaterThan(0);
  });

  it('more than 1 000 values in one filter is refused; 1 000 run', async () => {
    refused(
      await load({ measures: [COUNT], filters: [origin(['LAX']), origin(codes(1_001))] }),
      'body.query.filters[1].values: 1001 values, the limit is 1000 per filter',
    );
    const lax = await load({ measures: [COUNT], filters: [origin(['LAX'])] });
    const many = await load({ measures: [COUNT], filters: [origin(['LAX', ...codes(999)])] });
    expect(many.res.statusCode, many.res.body).toBe(200);
    expect(many.res.json().data).toEqual(lax.res.json().data);
  });

  it('more than 10 000 filter values in all is refused', async () => {
    const filters = Array.from({ length: 11 }, () => origin(codes(1_000)));
    refused(
      await load({ measures: [COUNT], filters: [{ or: filters }] }),
      'body.query.filters: 11000 filter values in all, the limit is 10000',
    );
  });

  it('more than 200 filters over the whole tree is refused; 200 run', async () => {
    const lax = origin(['LAX']);
    refused(
      await load({ measures: [COUNT], filters: [{ and: Array(199).fill(lax) }, lax] }),
      'body.query.filters: 201 filters, the limit is 200 (every member filter and and/or group counts)',
    );
    const atLimit = await load({ measures: [COUNT], filters: [{ and: Array(198).fill(lax) }, lax] });
    const once = await load({ measures: [COUNT], filters: [lax] });
    expect(atLimit.res.statusCode, atLimit.res.body).toBe(200);
    expect(atLimit.res.json().data).toEqual(once.res.json().data);
  });

  it('exactly 200 members run; more than 200 order entries are refused', async () => {
    const atLimit = await load({ measures: Array(200).fill(COUNT) });
    expect(atLimit.res.statusCode, atLimit.res.body).toBe(200);
    expect(atLimit.res.json().data[0][COUNT]).toBeGreaterThan(0);
    const order = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`flights.m${i}`, 'asc']));
    refused(
      await load({ measures: [COUNT], order }),
      'body.query.order: 201 order entries, the limit is 200',
    );
  });

  it('a deeply nested security context is a 400 on /load and on token creation, not a 500', async () => {
    const deep = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    refused(
      await post('/api/v1/load', `{"query":{"measures":["${COUNT}"]},"securityContext":${deep}}`),
      'the JSON body nests 5001 levels deep',
    );
    const tokenRes = await post(
      '/api/v1/security-token',
      `{"embeddableId":"flights-overview","user":"u-1","securityContext":${deep}}`,
    );
    expect(tokenRes.res.statusCode).toBe(400);
    expect(tokenRes.res.json().errorMessage).toContain('the JSON body nests 5001 levels deep');
  });
});

describe('the JSON nesting limit', () => {
  it('counts brackets outside strings only', () => {
    expect(jsonDepth('{"a":[1,{"b":"]]}}[[{{\\"[["}]}')).toBe(3);
    expect(jsonDepth('[]')).toBe(1);
    expect(jsonDepth('"{[{["')).toBe(0);
  });

  it('a string full of brackets is not nesting: the query runs', async () => {
    const r = await post('/api/v1/load', {
      query: { measures: [COUNT], filters: [origin(['['.repeat(5_000) + '{'.repeat(5_000)])] },
      ...ADMIN,
    });
    expect(r.res.statusCode, r.res.body).toBe(200);
    expect(r.res.json().data).toEqual([{ [COUNT]: 0 }]);
  });
});

describe('token filters at the limits', () => {
  const tokenRequest = (filters: object[]) => ({
    embeddableId: 'flights-overview',
    user: 'u-1',
    roles: ['admin'],
    filters,
  });

  it('more than 200 filters, or 1 000 values in one, are refused when the token is asked for', async () => {
    const set = { member: 'flights.origin', operator: 'set' };
    const many = await issue(t, tokenRequest(Array(201).fill(set)));
    expect(many.statusCode).toBe(400);
    expect(many.json().errorMessage).toContain('body.filters: 201 filters, the limit is 200');
    const wide = await issue(t, tokenRequest([origin(codes(1_001))]));
    expect(wide.statusCode).toBe(400);
    expect(wide.json().errorMessage).toContain(
      'body.filters[0].values: 1001 values, the limit is 1000 per filter',
    );
    const total = await issue(t, tokenRequest(Array(11).fill(origin(codes(1_000)))));
    expect(total.statusCode).toBe(400);
    expect(total.json().errorMessage).toContain(
      'body.filters: 11000 filter values in all, the limit is 10000',
    );
  });

  it('a token with a 1 000-value filter is issued and applies it', async () => {
    const res = await issue(t, tokenRequest([origin(['LAX', ...codes(999)])]));
    expect(res.statusCode, res.body).toBe(200);
    const viaToken = await load({ measures: [COUNT] }, bearer(res.json().token));
    const direct = await load({ measures: [COUNT], filters: [origin(['LAX'])] });
    expect(viaToken.res.statusCode, viaToken.res.body).toBe(200);
    expect(viaToken.res.json().data).toEqual(direct.res.json().data);
  });
});
