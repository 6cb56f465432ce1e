import { describe, expect, it } from 'vitest';
import { InlayError, querySchema } from '../src/index.js';

describe('InlayError', () => {
  it('names file, line, cube and member, then the hint', () => {
    const e = new InlayError('MODEL_INVALID', "unknown key 'sqll'.", {
      where: { file: 'models/a.cube.yml', line: 12, cube: 'a', member: 'b' },
      hint: "Did you mean 'sql'?",
    });
    expect(e.describe()).toBe(
      "models/a.cube.yml:12 cube 'a' member 'b': unknown key 'sqll'. Did you mean 'sql'?",
    );
    expect(e.status).toBe(422);
    expect(e.toJSON().errorMessage).toContain('models/a.cube.yml:12');
  });
});

describe('querySchema', () => {
  it('rejects unknown keys and malformed member names', () => {
    expect(querySchema.safeParse({ measures: ['flights.count'], limitt: 3 }).success).toBe(false);
    expect(querySchema.safeParse({ measures: ['flights.count; drop'] }).success).toBe(false);
  });
  it('accepts Cube legacy `dimension` in filters and fills defaults', () => {
    const q = querySchema.parse({ filters: [{ dimension: 'a.b', operator: 'set' }] });
    expect(q.filters).toEqual([{ member: 'a.b', operator: 'set' }]);
    expect(q.measures).toEqual([]);
  });
});
