import type { Query, SecurityOptions } from '@inlay/core';
import { compileModel, compileQuery, readModelDir, type SemanticModel } from '@inlay/engine';
import { flightsProjectDir } from '@inlay/example-flights';
import { beforeAll, describe, expect, it } from 'vitest';
import { CompiledQueries } from '../../src/cache/index.js';

let model: SemanticModel;
beforeAll(async () => {
  model = compileModel(await readModelDir(flightsProjectDir));
});

const ADMIN: SecurityOptions = { roles: ['admin'] };
const CA: SecurityOptions = { roles: ['default'], securityContext: { states: ['CA'] } };
const range = (dateRange: string | string[]) =>
  ({
    measures: ['flights.count'],
    timeDimensions: [{ dimension: 'flights.date', granularity: 'day', dateRange }],
  }) as Query;

/** The memo on a fake clock, with the real compiler behind it counting its runs. */
function setup() {
  let t = Date.parse('2001-03-15T12:00:00.250Z');
  const memo = new CompiledQueries(() => t);
  let compiles = 0;
  const get = (query: Query, security = ADMIN) =>
    memo.get(model, 'duckdb', { query, security, maxRows: 10_000 }, (now) => {
      compiles++;
      return compileQuery(model, query, { dialect: 'duckdb', security, now });
    });
  return {
    get,
    compiles: () => compiles,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('compiled query memo', () => {
  it('keeps a query that does not read the clock for good', () => {
    const m = setup();
    const q = range(['2001-01-01', '2001-01-31']);
    const first = m.get(q);
    m.advance(1_500);
    m.get(q);
    m.advance(86_400_000);
    expect(m.get(q)).toBe(first);
    expect(m.compiles()).toBe(1);
  });

  it('keeps a relative range for its second only, and the next day resolves it anew', () => {
    const m = setup();
    const q = range('last 7 days');
    const first = m.get(q);
    m.advance(500);
    expect(m.get(q)).toBe(first);
    expect(m.compiles()).toBe(1);
    m.advance(86_400_000);
    const nextDay = m.get(q);
    expect(m.compiles()).toBe(2);
    expect(nextDay.params).not.toEqual(first.params);
  });

  it('compiles `now` every time, to the millisecond', () => {
    const m = setup();
    const q = range('from 3 hours ago to now');
    m.get(q);
    m.advance(1);
    const later = m.get(q);
    expect(m.compiles()).toBe(2);
    expect(later.params).toContainEqual({ kind: 'timestamp', utc: '2001-03-15T12:00:00.251' });
  });

  it('keeps tenants apart: the security options are in the key', () => {
    const m = setup();
    const q = { measures: ['flights.count'] } as Query;
    const admin = m.get(q, ADMIN);
    const ca = m.get(q, CA);
    expect(m.compiles()).toBe(2);
    expect(ca.params).toContain('CA');
    expect(admin.params).not.toContain('CA');
    expect(m.get(q, CA)).toBe(ca);
  });
});

describe('compiled query memo for shared (frozen) queries', () => {
  it('finds a frozen query by identity, per caller, and never mixes callers', () => {
    const m = setup();
    const q = Object.freeze({ measures: Object.freeze(['flights.count']) }) as unknown as Query;
    const admin = m.get(q, ADMIN);
    const ca = m.get(q, CA);
    expect(m.get(q, ADMIN)).toBe(admin);
    expect(m.get(q, CA)).toBe(ca);
    expect(m.compiles()).toBe(2);
    expect(ca.params).toContain('CA');
    // An equal but distinct query object still hits the shared text-keyed memo.
    expect(m.get({ measures: ['flights.count'] } as Query, CA)).toBe(ca);
    expect(m.compiles()).toBe(2);
  });

  it('a frozen relative range is still recompiled when its second passes', () => {
    const m = setup();
    const q = Object.freeze({
      measures: ['flights.count'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'day', dateRange: 'last 7 days' }],
    }) as unknown as Query;
    m.get(q);
    m.advance(86_400_000);
    m.get(q);
    expect(m.compiles()).toBe(2);
  });
});
