import { describe, expect, it } from 'vitest';
import type { CacheInfo } from '../../src/cache/index.js';
import { cacheHead, withCache } from '../../src/query/answer.js';

/** What the head stands for: the cache info through `JSON.stringify`, as the answer's first key. */
const reference = (c: CacheInfo) => `{"cache":${JSON.stringify(c)},`;

describe('cacheHead', () => {
  const refreshed_at = new Date(Date.UTC(2026, 11, 7, 17, 0, 0, 123)).toISOString();
  const infos: CacheInfo[] = [
    { level: 'l1', age_ms: 0, refreshed_at },
    { level: 'l1', age_ms: 1234567, refreshed_at },
    { level: 'l1', age_ms: -0, refreshed_at },
    { level: 'l1', age_ms: 90_000, refreshed_at, stale: true },
    { level: 'l2', age_ms: 5, refreshed_at },
    { level: 'none', age_ms: 0, refreshed_at },
  ];

  it('writes what JSON.stringify writes for every shape the result cache makes', () => {
    for (const c of infos) expect(cacheHead(c)).toBe(reference(c));
  });

  it('puts the head before the cached bytes after their `{`, byte for byte', () => {
    const body = Buffer.from(JSON.stringify({ data: [{ n: 1, s: 'é' }], annotation: {} }), 'utf8');
    for (const c of infos) {
      const out = withCache({ body, rows: 1, cache: c });
      expect(out.toString('utf8')).toBe(`${reference(c)}${body.toString('utf8').slice(1)}`);
    }
  });
});
