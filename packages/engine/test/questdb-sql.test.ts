/**
 * The QuestDB dialect, tested on the SQL it generates (QuestDB cannot run here; with
 * QUESTDB_URL set, questdb-live.test.ts runs the same queries on a server). Every corpus query
 * and a few shapes the flights model does not reach are checked against what QuestDB refuses
 * (questdb/sql-checks.ts, from shared/reference/questdb.md); four representative statements are
 * inline snapshots, reviewed against that reference.
 */
import type { QueryInput } from '@inlay/core';
import { flightsProjectDir } from '@inlay/example-flights';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CompiledQuery, compileModel, compileQuery, readModelDir } from '../src/index.js';
import { ADMIN, flightsCorpus } from './corpus/index.js';
import { extraCases, FLIGHT_SERIES_MODEL } from './questdb/extra-model.js';
import { outputAliases, questdbProblems, unaliasedColumns } from './questdb/sql-checks.js';

type Model = ReturnType<typeof compileModel>;
let model: Model;

beforeAll(async () => {
  model = compileModel([...(await readModelDir(flightsProjectDir)), FLIGHT_SERIES_MODEL]);
});

function compile(query: QueryInput, extra: { now?: string; security?: typeof ADMIN } = {}): CompiledQuery {
  return compileQuery(model, query, {
    dialect: 'questdb',
    security: extra.security ?? ADMIN,
    ...(extra.now ? { now: new Date(extra.now) } : {}),
  });
}

/** Model columns unquoted after their cube (`"flights"."date"` → `"flights".date`), for `toContain`. */
const plain = (sql: string) =>
  sql.replace(/("(?:flights|flight_series|airports|destinations)")\."([a-z_]+)"/g, '$1.$2');

function expectQuestDBSafe(c: CompiledQuery): void {
  expect(questdbProblems(c.sql, c.params), c.sql).toEqual([]);
  expect(outputAliases(c.sql)).toEqual(c.columns.map((col) => col.alias));
  if (c.total)
    expect(questdbProblems(c.total.sql, c.total.params, { ordered: false }), c.total.sql).toEqual([]);
}

describe('QuestDB SQL for the flights corpus', () => {
  for (const c of flightsCorpus) {
    it(c.name, () => {
      expectQuestDBSafe(
        compile(c.query, { ...(c.now ? { now: c.now } : {}), security: c.security ?? ADMIN }),
      );
    });
  }
});

describe('QuestDB SQL for shapes beyond the corpus', () => {
  for (const c of extraCases) {
    it(c.name, () => expectQuestDBSafe(compile(c.query)));
  }
});

describe('QuestDB rewrites', () => {
  it('filters on a measure in a wrapping select, never HAVING', () => {
    const c = compile({
      measures: ['flights.count', 'flights.avg_delay'],
      dimensions: ['flights.origin'],
      filters: [
        { member: 'flights.avg_delay', operator: 'gt', values: ['10'] },
        { member: 'flights.origin', operator: 'startsWith', values: ['S'] },
      ],
      order: { 'flights.avg_delay': 'desc' },
      limit: 5,
    });
    expect(c.sql).not.toMatch(/HAVING/i);
    expect(c.sql).toMatchInlineSnapshot(`
      "SELECT "__h"."flights__origin" "flights__origin",
        "__h"."flights__count" "flights__count",
        "__h"."flights__avg_delay" "flights__avg_delay"
      FROM (
        SELECT "flights"."origin" "flights__origin",
          count("flights"."id") "flights__count",
          avg("flights"."delay") "flights__avg_delay",
          avg("flights"."delay") "__f3"
        FROM flights AS "flights"
        WHERE "flights"."origin" ILIKE $1
        GROUP BY 1
      ) AS "__h"
      WHERE "__h"."__f3" > $2
      ORDER BY "flights__avg_delay" DESC
      LIMIT $3"
    `);
    expect(c.params).toEqual(['S%', 10, 5]);
  });

  it('pages with LIMIT offset, offset + limit — no OFFSET', () => {
    const c = compile({
      measures: ['flights.count'],
      dimensions: ['flights.destination'],
      order: [['flights.destination', 'asc']],
      limit: 25,
      offset: 50,
      total: true,
    });
    expect(c.sql).toMatchInlineSnapshot(`
      "SELECT "flights"."destination" "flights__destination",
        count("flights"."id") "flights__count"
      FROM flights AS "flights"
      GROUP BY 1
      ORDER BY "flights__destination" ASC
      LIMIT $1, $2"
    `);
    expect(c.params).toEqual([50, 75]);
    expect(c.total?.sql).not.toMatch(/LIMIT|OFFSET/);
    // Offset without limit: the default limit still bounds the page.
    const open = compile({ dimensions: ['flights.origin'], order: { 'flights.origin': 'asc' }, offset: 7 });
    expect(open.sql).toMatch(/\nLIMIT \$1, \$2$/);
    expect(open.params).toEqual([7, 10_007]);
    // limit 0 with an offset returns nothing, as in PostgreSQL.
    expect(compile({ measures: ['flights.count'], limit: 0, offset: 3 }).params).toEqual([3, 3]);
  });

  it('orders without NULLS FIRST/LAST (QuestDB already puts NULLs where PostgreSQL does)', () => {
    const c = compile({
      measures: ['flights.avg_delay'],
      dimensions: ['airports.state'],
      order: [
        ['flights.avg_delay', 'desc'],
        ['airports.state', 'asc'],
      ],
    });
    expect(c.sql).toMatch(/\nORDER BY "flights__avg_delay" DESC, "airports__state" ASC\n/);
    expect(c.sql).not.toMatch(/NULLS/);
  });

  it('binds timestamps as bare parameters holding naive UTC ISO text', () => {
    const c = compile({
      measures: ['flights.count'],
      timeDimensions: [{ dimension: 'flights.date', dateRange: ['2001-02-01', '2001-02-28'] }],
      filters: [{ member: 'flights.date', operator: 'beforeDate', values: ['2001-02-20T12:00:00'] }],
    });
    expect(plain(c.sql)).toContain('"flights".date < $1');
    expect(plain(c.sql)).toContain('("flights".date >= $2) AND ("flights".date < $3)');
    expect(c.sql).not.toMatch(/::|CAST\s*\(\s*\$|cast\(\s*\$/i);
    expect(c.params.slice(0, 3)).toEqual([
      { kind: 'timestamp', utc: '2001-02-20T12:00:00.000' },
      { kind: 'timestamp', utc: '2001-02-01T00:00:00.000' },
      { kind: 'timestamp', utc: '2001-03-01T00:00:00.000' },
    ]);
  });

  it('converts zones with to_timezone and truncates with a literal unit', () => {
    const c = compile({
      measures: ['flights.count'],
      timeDimensions: [{ dimension: 'flights.date', granularity: 'month' }],
      timezone: 'America/New_York',
      order: { 'flights.date': 'asc' },
    });
    expect(c.sql).toMatchInlineSnapshot(`
      "SELECT date_trunc('month', to_timezone("flights"."date", $1)) "flights__date__month",
        count("flights"."id") "flights__count"
      FROM flights AS "flights"
      GROUP BY 1
      ORDER BY "flights__date__month" ASC
      LIMIT $2"
    `);
    expect(c.params).toEqual(['America/New_York', 10_000]);
    for (const unit of ['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year']) {
      const q = compile({
        measures: ['flights.count'],
        timeDimensions: [{ dimension: 'flights.date', granularity: unit }],
      });
      expect(plain(q.sql)).toContain(`date_trunc('${unit}', "flights".date)`);
      expect(q.params).toEqual([10_000]);
    }
    // A unit from a request never reaches the SQL text.
    expect(() =>
      compile({
        measures: ['flights.count'],
        timeDimensions: [{ dimension: 'flights.date', granularity: "day', x" }],
      }),
    ).toThrow();
  });

  it('counts with CASE instead of FILTER, count(DISTINCT …) as is, and IN lists instead of ANY', () => {
    const c = compile({
      measures: ['flights.delayed_count', 'flights.distinct_destinations'],
      filters: [{ member: 'flights.origin', operator: 'equals', values: ['SFO', 'LAX', 'SAN'] }],
    });
    expect(plain(c.sql)).toContain(
      'count(CASE WHEN "flights".delay > 15 THEN "flights".id END) "flights__delayed_count"',
    );
    expect(plain(c.sql)).toContain('count(DISTINCT "flights".destination) "flights__distinct_destinations"');
    expect(plain(c.sql)).toContain('"flights".origin IN ($1, $2, $3)');
    expect(c.sql).not.toMatch(/FILTER|ANY\(/);
  });

  it("matches text with ILIKE and a bound pattern, escaping wildcards with QuestDB's default \\", () => {
    const c = compile({
      measures: ['flights.count'],
      filters: [{ member: 'airports.name', operator: 'contains', values: ['50%_off\\'] }],
    });
    expect(plain(c.sql)).toContain('WHERE "airports".name ILIKE $1\n');
    expect(c.sql).not.toMatch(/ESCAPE/);
    expect(c.params[0]).toBe('%50\\%\\_off\\\\%');
  });

  it('joins fan-out groups with = (QuestDB matches NULL keys with =) and no unsupported construct', () => {
    const c = compile({ measures: ['airports.count', 'flights.count'], dimensions: ['airports.state'] });
    expectQuestDBSafe(c);
    expect(c.sql).not.toMatch(/DISTINCT FROM/);
    expect(c.sql).toMatchInlineSnapshot(`
      "WITH "__main" AS (
        SELECT "airports"."state" "airports__state",
          count("flights"."id") "flights__count_1"
        FROM airports AS "airports"
        LEFT JOIN flights AS "flights" ON "airports".iata = "flights".origin
        GROUP BY 1
      ),
      "__airports" AS (
        SELECT "__k"."airports__state" "airports__state",
          count("airports"."iata") "airports__count_1"
        FROM (
          SELECT DISTINCT "airports"."state" "airports__state",
            "airports"."iata" "__pk0"
          FROM airports AS "airports"
          LEFT JOIN flights AS "flights" ON "airports".iata = "flights".origin
        ) AS "__k"
        INNER JOIN airports AS "airports" ON "__k"."__pk0" = "airports"."iata"
        GROUP BY 1
      )
      SELECT "__keys"."airports__state" "airports__state",
        COALESCE("__airports"."airports__count_1", 0) "airports__count",
        "__main"."flights__count_1" "flights__count"
      FROM (
        SELECT "__main"."airports__state" "airports__state"
        FROM "__main" AS "__main"
        UNION
        SELECT "__airports"."airports__state" "airports__state"
        FROM "__airports" AS "__airports"
      ) AS "__keys"
      LEFT JOIN "__main" AS "__main" ON "__keys"."airports__state" = "__main"."airports__state"
      LEFT JOIN "__airports" AS "__airports" ON "__keys"."airports__state" = "__airports"."airports__state"
      ORDER BY "airports__count" DESC
      LIMIT $1"
    `);
  });

  it('builds rolling windows from a UNION ALL series of parsed timestamp parameters and dateadd', () => {
    const c = compile(extraCases[0]!.query);
    const series = [
      ...c.sql.matchAll(/SELECT to_timestamp\(\$(\d+), 'yyyy-MM-ddTHH:mm:ss\.SSS'\) "__b"/g),
    ].map((m) => c.params[Number(m[1]) - 1]);
    expect(series).toHaveLength(7);
    expect(series[0]).toEqual({ kind: 'timestamp', utc: '2001-01-01T00:00:00.000' });
    expect(c.sql.match(/\n\s*UNION ALL\n/g)).toHaveLength(6);
    expect(plain(c.sql)).toContain(
      'ON "__r"."__t" >= dateadd(\'d\', -7, dateadd(\'d\', 1, "__s"."__b")) AND "__r"."__t" < dateadd(\'d\', 1, "__s"."__b")',
    );
  });

  it('computes a custom granularity origin in JavaScript instead of casting a parameter', () => {
    const c = compile(extraCases[4]!.query);
    expect(plain(c.sql)).toContain(
      'cast(cast((floor(((cast("flight_series".date AS long) / 1000000.0) - $1) / 43200) * 43200 + $2) * 1000000 AS long) AS timestamp)',
    );
    // 2001-01-01 03:00:00 UTC in seconds since the epoch.
    expect(c.params.slice(0, 2)).toEqual([978_318_000, 978_318_000]);
    const shifted = compile(extraCases[5]!.query);
    expect(shifted.sql).toContain("(cast(dateadd('m', 30, $1) AS long) / 1000000.0)");
    expect(shifted.params[0]).toEqual({ kind: 'timestamp', utc: '2001-01-01T03:00:00.000' });
  });
});

describe('the checks themselves', () => {
  it('catch what QuestDB refuses', () => {
    const bad = `SELECT count(*), "flights".origin "o"
FROM flights AS "flights"
WHERE "flights".date >= CAST($1 AS TIMESTAMP) AND x BETWEEN 1 AND 2 AND y IS DISTINCT FROM $2
GROUP BY 2
HAVING count(*) > 1
ORDER BY "o" ASC NULLS LAST
LIMIT $3 OFFSET $4`;
    expect(questdbProblems(bad, [{ kind: 'timestamp', utc: '2001-01-01' }, 'x', 5, 10])).toEqual([
      'HAVING (filter in a wrapping select)',
      'OFFSET (LIMIT lo, hi)',
      'NULLS FIRST/LAST',
      'cast of a parameter',
      'IS DISTINCT FROM',
      'BETWEEN',
      "$1 timestamp '2001-01-01'",
      'unaliased column: count(*)',
    ]);
    expect(unaliasedColumns('SELECT a "a",\n  "t"."b"\nFROM t')).toEqual(['"t"."b"']);
    expect(questdbProblems('SELECT date_trunc($1, ts) "d"\nORDER BY "d" ASC', ['day'])).toEqual([
      'date_trunc unit $1',
    ]);
    expect(questdbProblems('SELECT (SELECT 1) "x"\nORDER BY "x" ASC', [])).toEqual(['subquery after SELECT']);
  });
});
