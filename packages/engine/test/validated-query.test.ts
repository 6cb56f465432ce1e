/**
 * A query a route validated with `validatedQuerySchema` is compiled without a second validation;
 * any other input is still validated by the engine, with its own errors.
 */
import { isValidatedQuery, querySchema, validatedQuerySchema } from '@inlay/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseQuery } from '../src/plan/planner.js';

const QUERY = {
  measures: ['flights.count'],
  filters: [{ member: 'flights.origin', operator: 'equals', values: ['JFK'] }],
};

afterEach(() => vi.restoreAllMocks());

describe('validated queries', () => {
  it('validatedQuerySchema gives the same query as querySchema, frozen and recognised', () => {
    const validated = validatedQuerySchema.parse(QUERY);
    expect(validated).toEqual(querySchema.parse(QUERY));
    expect(isValidatedQuery(validated)).toBe(true);
    expect(Object.isFrozen(validated)).toBe(true);
    expect(Object.isFrozen(validated.filters[0])).toBe(true);
    expect(() => (validated.measures as string[]).push('flights.avg_delay')).toThrow(TypeError);
  });

  it('only what the schema produced is recognised: not the input, a copy or a plain parse', () => {
    const validated = validatedQuerySchema.parse(QUERY);
    expect(isValidatedQuery(QUERY)).toBe(false);
    expect(isValidatedQuery({ ...validated })).toBe(false);
    expect(isValidatedQuery(querySchema.parse(QUERY))).toBe(false);
    expect(isValidatedQuery(null)).toBe(false);
  });

  it('parseQuery validates anything else and takes a validated query as it is', () => {
    const validate = vi.spyOn(querySchema, 'safeParse');
    const validated = validatedQuerySchema.parse(QUERY);
    validate.mockClear();
    expect(parseQuery(validated)).toBe(validated);
    expect(validate).not.toHaveBeenCalled();
    expect(parseQuery(QUERY)).toEqual(validated);
    expect(validate).toHaveBeenCalledTimes(1);
  });

  it('a bad query never becomes a validated one: the schema refuses it with the path', () => {
    const bad = validatedQuerySchema.safeParse({ measures: ['flights'] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['measures', 0]);
    expect(() => parseQuery({ measures: ['flights'] })).toThrow(/invalid query at measures\[0\]/);
  });
});
