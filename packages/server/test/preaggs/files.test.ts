import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { partitionFile, resolveFile, segment } from '../../src/preaggs/files.js';

describe('rollup file paths', () => {
  it('keep plain names readable and turn anything else into a digest that cannot leave the folder', () => {
    expect(segment('default')).toBe('default');
    expect(segment('2001-03')).toBe('2001-03');
    expect(segment('tenant_a.eu-1')).toBe('tenant_a.eu-1');
    for (const odd of ['..', '../x', 'a/b', '.hidden', 'a..b', '', 'é', 'x'.repeat(101)]) {
      expect(segment(odd)).toMatch(/^h_[0-9a-f]{24}$/);
    }
    expect(segment('../x')).not.toBe(segment('..x'));
  });

  it('name each generation uniquely under <workspace>/<environment>/<hash>', () => {
    const key = { workspaceId: 'w1', environment: 'default', rollupHash: '0123456789abcdef' };
    const a = partitionFile(key, '2001-03', 2);
    expect(a).toMatch(/^w1\/default\/0123456789abcdef\/2001-03\.2\.[0-9a-f]{8}\.parquet$/);
    expect(partitionFile(key, '2001-03', 2)).not.toBe(a);
  });

  it('resolve only manifest paths that stay under the root', () => {
    expect(resolveFile('/data/preaggs', 'w/e/h/p.1.ab.parquet')).toBe(
      join('/data/preaggs', 'w/e/h/p.1.ab.parquet'),
    );
    for (const bad of ['../secret.parquet', '/etc/x.parquet', 'w/../../x.parquet', 'w/e/h/p.csv']) {
      expect(() => resolveFile('/data/preaggs', bad)).toThrow(/refusing/);
    }
  });
});
