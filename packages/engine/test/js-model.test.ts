import path from 'node:path';
import { createDriver } from '@inlay/drivers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileModel, readModelDir, runQuery, type SemanticModel } from '../src/index.js';

const driver = createDriver('duckdb', {});
let model: SemanticModel;

beforeAll(async () => {
  model = compileModel(await readModelDir(path.join(import.meta.dirname, 'fixtures/js-model')));
  await driver.execute(
    `CREATE TABLE events AS SELECT * FROM (VALUES (1, 'click', TIMESTAMP '2024-01-01 10:00:00'), (2, 'view', TIMESTAMP '2024-01-01 11:00:00'), (3, 'click', TIMESTAMP '2024-01-02 09:30:00')) t(id, kind, "at")`,
  );
});
afterAll(() => driver.close());

describe('*.cube.js models', () => {
  it('load like YAML and answer queries, with segments', async () => {
    expect(model.cubes.get('events')!.loc.file).toBe(path.join('models', 'events.cube.js'));
    const res = await runQuery(model, driver, { measures: ['events.count'], segments: ['events.clicks'] });
    expect(res.data).toEqual([{ 'events.count': 2 }]);
  });
  it('string measures come back as strings, annotated as such', async () => {
    const res = await runQuery(model, driver, { measures: ['events.last_kind', 'events.count'] });
    expect(res.data).toEqual([{ 'events.last_kind': 'view', 'events.count': 3 }]);
    expect(res.annotation.measures['events.last_kind']!.type).toBe('string');
    expect(res.annotation.measures['events.count']!.type).toBe('number');
  });
  it('ungrouped queries return one row per source row', async () => {
    const res = await runQuery(model, driver, {
      dimensions: ['events.id', 'events.kind'],
      measures: ['events.count'],
      ungrouped: true,
      order: { 'events.id': 'asc' },
    });
    expect(res.data).toEqual([
      { 'events.id': 1, 'events.kind': 'click', 'events.count': 1 },
      { 'events.id': 2, 'events.kind': 'view', 'events.count': 1 },
      { 'events.id': 3, 'events.kind': 'click', 'events.count': 1 },
    ]);
  });
  it('time dimensions come back on the wall clock of the query zone', async () => {
    const res = await runQuery(model, driver, {
      measures: ['events.count'],
      timeDimensions: [{ dimension: 'events.at', granularity: 'day' }],
      timezone: 'Asia/Tokyo',
    });
    // 10:00 and 11:00 UTC on Jan 1 are 19:00/20:00 in Tokyo (still Jan 1); 09:30 UTC Jan 2 is Jan 2.
    expect(res.data).toEqual([
      {
        'events.at.day': '2024-01-01T00:00:00.000',
        'events.at': '2024-01-01T00:00:00.000',
        'events.count': 2,
      },
      {
        'events.at.day': '2024-01-02T00:00:00.000',
        'events.at': '2024-01-02T00:00:00.000',
        'events.count': 1,
      },
    ]);
    expect(res.annotation.timeDimensions['events.at.day']).toMatchObject({
      type: 'time',
      title: 'Events At day',
    });
  });
});
