/**
 * `/load` validates its query once, in the route (`validatedQuerySchema`); the engine does not
 * validate it again. A bad body keeps the route's 400 naming the wrong field's path, and the
 * OpenAPI document still describes the query.
 */
import { querySchema } from '@inlay/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AUTH, type TestApp, testApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = testApp();
  await t.app.ready();
});
afterAll(() => t.app.close());
afterEach(() => vi.restoreAllMocks());

const load = (payload: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/v1/load', headers: AUTH, payload: payload as object });
const COUNT = ['flights.count'];

describe('/load validates its query once', () => {
  it.each([
    [
      { measures: COUNT, timeDimensions: [{ dimension: 'flights.date', granularity: 'da y' }] },
      'body.query.timeDimensions[0].granularity: must be a granularity name',
    ],
    [{ measures: COUNT, limit: -1 }, 'body.query.limit: Too small: expected number to be >=0'],
    [{ measures: COUNT, colour: 'red' }, 'body.query: Unrecognized key: "colour"'],
    [
      { measures: COUNT, filters: [{ member: 'flights.origin', operator: 'near', values: ['JFK'] }] },
      'body.query.filters[0]: Invalid input',
    ],
  ])('a bad query %j is a 400 naming the path: %s', async (query, message) => {
    const res = await load({ query, roles: ['admin'] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ errorMessage: message, code: 'QUERY_INVALID' });
  });

  it('a good query is validated by the route only, and answered', async () => {
    const validate = vi.spyOn(querySchema, 'safeParse');
    const res = await load({
      query: {
        measures: COUNT,
        filters: [{ member: 'flights.origin', operator: 'equals', values: ['SFO'] }],
      },
      roles: ['admin'],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data[0]['flights.count']).toBeGreaterThan(0);
    // Rollup builds validate their own queries, none of which filters on SFO.
    const ofRequest = validate.mock.calls.filter(([q]) => JSON.stringify(q).includes('"SFO"'));
    expect(ofRequest).toEqual([]);
  });

  it('the OpenAPI document still describes the query body', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const body = spec.paths['/api/v1/load'].post.requestBody.content['application/json'].schema;
    const query = body.properties.query;
    const fields = query.properties;
    expect(Object.keys(fields)).toEqual(
      expect.arrayContaining(['measures', 'dimensions', 'filters', 'limit']),
    );
    expect(body.required).toContain('query');
  });
});
