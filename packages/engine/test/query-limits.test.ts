import { type Filter, type MemberFilter, QUERY_LIMITS } from '@inlay/core';
import { flightsProjectDir } from '@inlay/example-flights';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileModel, compileQuery, readModelDir } from '../src/index.js';
import { parseQuery } from '../src/plan/planner.js';
import { failure } from './failure.js';

const COUNT = 'flights.count';
const lax: Filter = { member: 'flights.origin', operator: 'equals', values: ['LAX'] };
const nested = (levels: number): Filter => {
  let f: Filter = lax;
  for (let i = 0; i < levels; i++) f = i % 2 ? { and: [f] } : { or: [f] };
  return f;
};

describe('parseQuery refuses past QUERY_LIMITS', () => {
  it('10 000 members: QUERY_INVALID naming the limit and where', () => {
    const err = failure(() => parseQuery({ measures: Array(10_000).fill(COUNT) }));
    expect(err.code).toBe('QUERY_INVALID');
    expect(err.where?.path).toBe('measures');
    expect(err.message).toBe(
      'invalid query at measures: 10000 members, the limit is 200 (measures + dimensions + timeDimensions + segments).',
    );
  });

  it('filters nested 1 000 and 100 000 levels deep: QUERY_INVALID, not a stack overflow', () => {
    for (const levels of [1_000, 100_000]) {
      const err = failure(() => parseQuery({ measures: [COUNT], filters: [nested(levels)] }));
      expect(err.code).toBe('QUERY_INVALID');
      expect(err.message).toContain(
        `and/or groups nested ${levels} deep, the limit is ${QUERY_LIMITS.depth}`,
      );
      // The path of the first group past the limit: ten groups down, not a hundred thousand.
      expect(err.where?.path).toMatch(/^filters\[0\](\.(and|or)\[0\]){10}\.(and|or)$/);
    }
  });

  it('values per filter, values in all, filters and order entries', () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);
    const origin = (n: number): Filter => ({
      member: 'flights.origin',
      operator: 'equals',
      values: values(n),
    });
    expect(failure(() => parseQuery({ filters: [lax, origin(1_001)] })).message).toBe(
      'invalid query at filters[1].values: 1001 values, the limit is 1000 per filter.',
    );
    expect(failure(() => parseQuery({ filters: Array(11).fill(origin(1_000)) })).message).toBe(
      'invalid query at filters: 11000 filter values in all, the limit is 10000.',
    );
    expect(failure(() => parseQuery({ filters: [{ or: Array(200).fill(lax) }] })).message).toBe(
      'invalid query at filters: 201 filters, the limit is 200 (every member filter and and/or group counts).',
    );
    const order = Array.from({ length: 201 }, (_, i) => [`flights.m${i}`, 'asc']);
    expect(failure(() => parseQuery({ measures: [COUNT], order })).message).toBe(
      'invalid query at order: 201 order entries, the limit is 200.',
    );
  });

  it('a query exactly at every limit parses', () => {
    const q = parseQuery({
      measures: Array(100).fill(COUNT),
      dimensions: Array(99).fill('flights.origin'),
      segments: [],
      timeDimensions: [{ dimension: 'flights.date' }],
      filters: [nested(QUERY_LIMITS.depth), { or: Array(188).fill(lax) }],
      order: Array(200).fill([COUNT, 'desc']),
    });
    expect(q.measures).toHaveLength(100);
    expect(q.filters).toHaveLength(2);
  });
});

describe('the security options of a compile', () => {
  let model: ReturnType<typeof compileModel>;
  beforeAll(async () => {
    model = compileModel(await readModelDir(flightsProjectDir));
  });

  it('filters nested 100 000 deep are refused with the limit, not a stack overflow', () => {
    const err = failure(() =>
      compileQuery(
        model,
        { measures: [COUNT] },
        // Typed as member filters; the engine checks whatever a caller passes.
        { dialect: 'duckdb', security: { roles: ['admin'], filters: [nested(100_000)] as MemberFilter[] } },
      ),
    );
    expect(err.code).toBe('SECURITY_CONTEXT_MISSING');
    expect(err.message).toContain('and/or groups nested 100000 deep, the limit is 10');
  });

  it('at the limits they compile, each value bound', () => {
    const values = Array.from({ length: 1_000 }, (_, i) => `v${i}`);
    const compiled = compileQuery(
      model,
      { measures: [COUNT], filters: [nested(QUERY_LIMITS.depth)] },
      {
        dialect: 'duckdb',
        security: {
          roles: ['admin'],
          filters: [{ member: 'flights.destination', operator: 'equals', values }],
        },
      },
    );
    expect(compiled.params).toEqual(expect.arrayContaining([...values, 'LAX']));
  });
});
