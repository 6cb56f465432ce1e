/**
 * L1 keys: the same parts always give the same key (across releases too: a Redis tier outlives a
 * deploy), and bound values of different types never share one.
 */
import type { ParamValue } from '@inlay/core';
import { describe, expect, it } from 'vitest';
import { resultKey } from '../../src/cache/key.js';

const BASE = {
  workspace: 'ws',
  environment: 'default',
  connection: 'flights@1',
  modelVersion: 'm1',
  dialect: 'duckdb',
  sql: 'SELECT ? AS x',
  timezone: 'UTC',
  columns: [['x']],
};
const key = (params: ParamValue[], total?: ParamValue[]) =>
  resultKey({ ...BASE, params, ...(total ? { total: { sql: 'SELECT count(*)', params: total } } : {}) });

describe('resultKey', () => {
  it('gives the keys earlier releases gave for the same parts', () => {
    const instant = { kind: 'timestamp', utc: '2024-01-01T00:00:00.000' } as unknown as ParamValue;
    expect(key(['a', 1, true, null, instant])).toBe('Yhx2Au1FNVfKgk0OWt-cnNPwB0NdRf8P3QY3HWmen1g');
    expect(key([1n], [2n])).toBe('OVPnA8451jB1khUll9vFBYHWXMbh8fulstielH-hRSw');
    expect(key(['1'], ['2'])).toBe('9F63wMKm9NmIozuy66LnORgwjg2RjLmmY30S7NRjAHM');
  });

  it('keeps a bigint apart from the same digits as text or number, in the query and in its total', () => {
    const keys = [key([1n]), key(['1']), key([1]), key(['1'], [2n]), key(['1'], ['2']), key(['1'], [2])];
    expect(new Set(keys).size).toBe(keys.length);
  });
});
