import { flightsProjectDir } from '@inlay/example-flights';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileModel, compileQuery, readModelDir, type SemanticModel } from '../src/index.js';
import { failure } from './failure.js';

let flights: SemanticModel;
beforeAll(async () => {
  flights = compileModel(await readModelDir(flightsProjectDir));
});
const admin = { roles: ['admin'] };
const compile = (q: unknown, security: object = admin, dialect = 'duckdb') =>
  compileQuery(flights, q, { dialect, security });

describe('query errors say what was wrong and how to fix it', () => {
  it('unknown members suggest the closest name', () => {
    const e = failure(() => compile({ measures: ['flights.cont'] }));
    expect(e.status).toBe(400);
    expect(e.describe()).toBe(
      "at measures[0]: 'flights.cont': cube 'flights' has no member 'cont'. Did you mean 'count'?",
    );
    expect(failure(() => compile({ measures: ['flight.count'] })).describe()).toContain(
      "Did you mean 'flights'?",
    );
  });
  it('a dimension in measures is named as such', () => {
    expect(failure(() => compile({ measures: ['flights.origin'] })).message).toContain(
      "'flights.origin' is a dimension, but a measure is expected",
    );
  });
  it('malformed queries are rejected with the path', () => {
    expect(failure(() => compile({ measures: 'flights.count' })).message).toMatch(
      /invalid query at measures/,
    );
    expect(failure(() => compile({ measures: ['flights.count'], limitt: 1 })).message).toContain(
      "unknown key 'limitt'",
    );
    expect(failure(() => compile({ measures: ['flights.count'], limit: -1 })).message).toMatch(/at limit/);
  });
  it('limit above the cap, unknown granularity, bad time zone, order by a member not queried', () => {
    expect(failure(() => compile({ measures: ['flights.count'], limit: 1_000_000 })).message).toContain(
      'above the maximum of 50000',
    );
    expect(
      failure(() => compile({ timeDimensions: [{ dimension: 'flights.date', granularity: 'fortnight' }] }))
        .hint,
    ).toContain('day, week, month');
    expect(
      failure(() => compile({ measures: ['flights.count'], timezone: 'Mars/Olympus' })).message,
    ).toContain("unknown time zone 'Mars/Olympus'");
    expect(
      failure(() => compile({ measures: ['flights.count'], order: { 'flights.origin': 'asc' } })).message,
    ).toContain('cannot order by');
  });
  it('mixing measure and dimension filters in one or-group is refused', () => {
    const q = {
      measures: ['flights.count'],
      filters: [
        {
          or: [
            { member: 'flights.count', operator: 'gt', values: ['1'] },
            { member: 'flights.origin', operator: 'equals', values: ['SFO'] },
          ],
        },
      ],
    };
    expect(failure(() => compile(q)).message).toContain('mixes measure and dimension filters');
  });
  it('string operators on numbers and wrong value types are refused', () => {
    expect(
      failure(() =>
        compile({
          measures: ['flights.count'],
          filters: [{ member: 'flights.delay', operator: 'contains', values: ['1'] }],
        }),
      ).message,
    ).toContain("'contains' compares text");
    expect(
      failure(() =>
        compile({
          measures: ['flights.count'],
          filters: [{ member: 'flights.delay', operator: 'gt', values: ['abc'] }],
        }),
      ).message,
    ).toContain("'flights.delay' is a number");
    expect(
      failure(() =>
        compile({
          measures: ['flights.count'],
          filters: [{ member: 'flights.origin', operator: 'equals', values: [] }],
        }),
      ).message,
    ).toContain('needs at least one value');
  });
});

describe('generated SQL', () => {
  it('binds every value and keeps identifiers from the model only', () => {
    const c = compile({
      measures: ['flights.count'],
      dimensions: ['flights.origin'],
      filters: [{ member: 'flights.origin', operator: 'equals', values: ["SFO' OR 1=1 --"] }],
      timeDimensions: [
        { dimension: 'flights.date', granularity: 'day', dateRange: ['2001-01-01', '2001-01-31'] },
      ],
      timezone: 'America/New_York',
    });
    expect(c.sql).not.toContain('SFO');
    expect(c.sql).not.toContain('America');
    expect(c.params).toContain("SFO' OR 1=1 --");
    expect(c.params).toContain('America/New_York');
    expect(c.sql).toMatch(/date_trunc\('day', /);
    expect(c.sql).toContain('GROUP BY 1, 2');
  });
  it('root is the first cube named; joins from it are LEFT JOINs', () => {
    expect(compile({ measures: ['flights.count'], dimensions: ['airports.state'] }).plan).toMatchObject({
      root: 'flights',
      joins: ['flights -> airports (many_to_one)'],
    });
    const fan = compile({ measures: ['airports.count', 'flights.count'], dimensions: ['airports.state'] });
    expect(fan.plan).toMatchObject({ root: 'airports', multiplied: ['airports'] });
    expect(fan.sql).toContain('SELECT DISTINCT');
  });
  it('a security-context value in the row filter is a parameter, and a missing key refuses the query', () => {
    const c = compile({ measures: ['flights.count'] }, { securityContext: { states: ['CA', 'NV'] } });
    expect(c.params.slice(0, 2)).toEqual(['CA', 'NV']);
    expect(c.sql).toMatch(/state" IN \(\$1, \$2\)|\.state IN \(\$1, \$2\)/);
    const e = failure(() => compile({ measures: ['flights.count'] }, {}));
    expect(e.code).toBe('SECURITY_CONTEXT_MISSING');
    expect(e.status).toBe(403);
  });
  it('measure filters: HAVING on PostgreSQL, a wrapping select on QuestDB', () => {
    const q = {
      measures: ['flights.count'],
      dimensions: ['flights.origin'],
      filters: [{ member: 'flights.count', operator: 'gt', values: [100] }],
      offset: 5,
      limit: 10,
    };
    expect(compile(q, admin, 'postgres').sql).toMatch(
      /HAVING count\("flights"\."id"\) > CAST\(\$1 AS BIGINT\)/,
    );
    const quest = compile(q, admin, 'questdb');
    expect(quest.sql).not.toMatch(/HAVING|OFFSET|NULLS/);
    expect(quest.sql).toMatch(/LIMIT \$2, \$3$/);
    expect(quest.params).toEqual([100, 5, 15]);
  });
  it('total asks for the row count without paging', () => {
    const c = compile({ measures: ['flights.count'], dimensions: ['flights.origin'], total: true, limit: 5 });
    expect(c.total!.sql).toMatch(/^SELECT count\(\*\) "total"/);
    expect(c.total!.sql).not.toContain('LIMIT');
  });
});

describe('join paths', () => {
  const model = compileModel([
    {
      path: 'm.cube.yml',
      content: `cubes:
  - name: a
    sql_table: a
    joins:
      - { name: b, relationship: many_to_one, sql: "{CUBE}.b = {b}.id" }
      - { name: c, relationship: many_to_one, sql: "{CUBE}.c = {c}.id" }
    dimensions: [{ name: id, sql: id, type: number, primary_key: true }]
    measures: [{ name: count, type: count }]
  - name: b
    sql_table: b
    joins: [{ name: d, relationship: many_to_one, sql: "{CUBE}.d = {d}.id" }]
    dimensions: [{ name: id, sql: id, type: number, primary_key: true }]
  - name: c
    sql_table: c
    joins: [{ name: d, relationship: many_to_one, sql: "{CUBE}.d = {d}.id" }]
    dimensions: [{ name: id, sql: id, type: number, primary_key: true }]
  - name: d
    sql_table: d
    dimensions: [{ name: name, sql: name, type: string }]
  - name: lonely
    sql_table: lonely
    dimensions: [{ name: x, sql: x, type: string }]
views:
  - name: via_b
    cubes:
      - { join_path: a, includes: [count] }
      - { join_path: a.b.d, includes: [name] }
`,
    },
  ]);
  it('two equally short paths are ambiguous unless a view picks one', () => {
    const e = failure(() =>
      compileQuery(model, { measures: ['a.count'], dimensions: ['d.name'] }, { dialect: 'duckdb' }),
    );
    expect(e.code).toBe('JOIN_PATH');
    expect(e.message).toContain("more than one join path leads from 'a' to 'd': a -> b -> d | a -> c -> d");
    const v = compileQuery(
      model,
      { measures: ['via_b.count'], dimensions: ['via_b.name'] },
      { dialect: 'duckdb' },
    );
    expect(v.plan.joins).toEqual(['a -> b (many_to_one)', 'b -> d (many_to_one)']);
  });
  it('an unreachable cube is a clear error', () => {
    expect(
      failure(() =>
        compileQuery(model, { measures: ['a.count'], dimensions: ['lonely.x'] }, { dialect: 'duckdb' }),
      ).message,
    ).toContain("cannot join 'lonely' to 'a'");
  });
});
