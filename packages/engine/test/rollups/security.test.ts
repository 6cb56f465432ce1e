/**
 * compileFromRollup keeps compileQuery's security exactly: the same refusals (roles, hidden members,
 * missing security context, bad values), the policy row filters applied to the rollup as bound
 * parameters, and the same output columns and annotation.
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
import { shopModel } from './shop.js';

type Model = ReturnType<typeof compileModel>;

const ADMIN: SecurityOptions = { roles: ['admin'] };
const CA: SecurityOptions = { roles: ['default'], securityContext: { states: ['CA'] } };
const all: RollupLocator = (r) => `rollup_${r.name}`;

let flights: Model;
const shop = shopModel();
const F = () => flights;
const S = () => shop;

beforeAll(async () => {
  flights = compileModel(await readModelDir(flightsProjectDir));
});

describe('security, exactly as compileQuery', () => {
  const refusals: [string, () => Model, QueryInput, SecurityOptions, string][] = [
    ['a role no policy admits', F, { measures: ['flights.count'] }, { roles: ['nobody'] }, 'ACCESS_DENIED'],
    [
      'a missing security-context key',
      F,
      { measures: ['flights.count'] },
      { roles: ['default'] },
      'SECURITY_CONTEXT_MISSING',
    ],
    [
      'a member hidden from the role',
      S,
      { measures: ['orders.amount'] },
      { roles: ['viewer'], securityContext: { status: 'x' } },
      'ACCESS_DENIED',
    ],
    ['an invalid query', F, { measures: ['flights.nope'] }, ADMIN, 'QUERY_INVALID'],
    [
      'a filter value of the wrong type',
      F,
      {
        measures: ['flights.count'],
        filters: [{ member: 'flights.distance', operator: 'gt', values: ['far'] }],
      },
      ADMIN,
      'QUERY_INVALID',
    ],
  ];
  for (const [name, model, query, security, code] of refusals) {
    it(`refuses ${name} with the same error`, () => {
      let expected: unknown;
      try {
        compileQuery(model(), query, { dialect: 'duckdb', security });
      } catch (e) {
        expected = e;
      }
      expect(expected).toMatchObject({ code });
      expect(() => compileFromRollup(model(), query, { security, locate: all })).toThrow(
        (expected as Error).message,
      );
    });
  }

  it('applies the policy row filter to the rollup, values as bound parameters', () => {
    const query = { measures: ['flights.count', 'flights.avg_delay'], dimensions: ['airports.state'] };
    const security = { roles: ['default'], securityContext: { states: ['NY', 'NJ'] } };
    const out = compileFromRollup(flights, query, { security, locate: all });
    expect(out.rollup?.id).toBe('flights.by_origin_month');
    const { sql, params } = out.rollup ? out.compiled : { sql: '', params: [] };
    expect(sql).toContain('FROM rollup_by_origin_month AS "__rollup"');
    expect(sql).toContain('"__rollup"."airports__state" IN ($1, $2)');
    expect(sql).not.toMatch(/'N[YJ]'/);
    expect(params).toEqual(['NY', 'NJ', 10_000]);
  });

  it('answers with the columns and annotation compileQuery gives', () => {
    const query: QueryInput = {
      measures: ['flights.count', 'flights.avg_delay'],
      dimensions: ['flights.origin'],
      timeDimensions: [
        { dimension: 'flights.date', granularity: 'week', dateRange: ['2001-01-01', '2001-03-31'] },
      ],
      order: [['flights.date.week', 'desc']],
      limit: 5,
      total: true,
    };
    const source = compileQuery(flights, query, { dialect: 'duckdb', security: CA });
    const out = compileFromRollup(flights, query, { security: CA, locate: all });
    if (!out.rollup) throw new Error(out.reason);
    const shape = (cols: typeof source.columns) => cols.map((c) => [c.alias, c.keys, c.kind, c.type]);
    expect(shape(out.compiled.columns)).toEqual(shape(source.columns));
    expect(out.compiled.annotation).toEqual(source.annotation);
    expect(out.compiled.sql).toContain(
      `date_trunc('week', "__rollup"."flights__date_day") "flights__date__week"`,
    );
    expect(out.compiled.sql).toContain('ORDER BY "flights__date__week" DESC');
    expect(out.compiled.total?.sql).toMatch(/^SELECT count\(\*\) "total"/);
    expect(out.compiled.plan).toMatchObject({
      root: 'flights',
      cubes: ['airports', 'flights'],
      roles: ['default'],
    });
  });
});
