import type { Driver } from '@inlay/core';

/**
 * What every widget of `ALL_COMPONENTS` should show, computed straight on the DuckDB file with
 * SQL written here (never through the engine): the tenant's flights (origin airport in its
 * states), optionally within whole days `[from, to]`, buckets in UTC.
 */

type Range = { from: string; to: string } | undefined;
type Row = Record<string, unknown>;

export function truthFor(db: Driver, states: readonly string[]) {
  const inStates = `a.state IN (${states.map((s) => `'${s.replace(/'/g, "''")}'`).join(', ')})`;
  const where = (range: Range) =>
    range
      ? `${inStates} AND f.date >= TIMESTAMP '${range.from}' AND f.date < TIMESTAMP '${range.to}' + INTERVAL 1 DAY`
      : inStates;
  const from = (range: Range) => `FROM flights f JOIN airports a ON f.origin = a.iata WHERE ${where(range)}`;
  const rows = async (sql: string): Promise<Row[]> => (await db.query(sql, [])).rows as Row[];
  const n = (v: unknown) => Number(v);
  const day = (v: unknown) => String(v).slice(0, 10);

  return {
    async kpi(range: Range) {
      const [r] = await rows(`SELECT count(*) AS n, avg(f.delay) AS d ${from(range)}`);
      return { count: n(r!.n), avgDelay: n(r!.d) };
    },
    /** Count and delayed count per bucket, with each bucket's index from the period's first bucket. */
    async line(range: NonNullable<Range>, grain: string) {
      const list = await rows(
        `SELECT date_trunc('${grain}', f.date) AS b, count(*) AS n, count(*) FILTER (WHERE f.delay > 15) AS late,
           CAST(date_diff('day', date_trunc('${grain}', TIMESTAMP '${range.from}'), date_trunc('${grain}', f.date)) AS INTEGER) AS days,
           CAST(date_diff('month', date_trunc('${grain}', TIMESTAMP '${range.from}'), date_trunc('${grain}', f.date)) AS INTEGER) AS months
         ${from(range)} GROUP BY 1 ORDER BY 1`,
      );
      return list.map((r) => ({
        bucket: day(r.b),
        index: grain === 'month' ? n(r.months) : grain === 'week' ? n(r.days) / 7 : n(r.days),
        count: n(r.n),
        late: n(r.late),
      }));
    },
    async byDay(range: Range) {
      const list = await rows(
        `SELECT date_trunc('day', f.date) AS b, avg(f.delay) AS d ${from(range)} GROUP BY 1 ORDER BY 1`,
      );
      return list.map((r) => ({ bucket: day(r.b), avgDelay: n(r.d) }));
    },
    async byState(range: Range) {
      const list = await rows(
        `SELECT a.state AS s, count(*) AS n, count(*) FILTER (WHERE f.delay > 15) AS late ${from(range)} GROUP BY 1 ORDER BY 1`,
      );
      return list.map((r) => ({ state: String(r.s), count: n(r.n), late: n(r.late) }));
    },
    async byDestinationState(range: Range) {
      const list = await rows(
        `SELECT d.state AS s, count(*) AS n FROM flights f JOIN airports a ON f.origin = a.iata
           LEFT JOIN airports d ON f.destination = d.iata WHERE ${where(range)} GROUP BY 1 ORDER BY n DESC`,
      );
      return list.map((r) => ({ state: r.s === null ? '–' : String(r.s), count: n(r.n) }));
    },
    async byDestination(range: Range) {
      const list = await rows(
        `SELECT f.destination AS d, count(*) AS n, avg(f.delay) AS a ${from(range)} GROUP BY 1 ORDER BY n DESC, d`,
      );
      return list.map((r) => ({ destination: String(r.d), count: n(r.n), avgDelay: n(r.a) }));
    },
    async byStateAndMonth(range: Range) {
      const list = await rows(
        `SELECT a.state AS s, date_trunc('month', f.date) AS m, count(*) AS n ${from(range)} GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      return list.map((r) => ({ state: String(r.s), month: day(r.m), count: n(r.n) }));
    },
    async delayedShareByStateAndWeek(range: Range) {
      const list = await rows(
        `SELECT a.state AS s, date_trunc('week', f.date) AS w, avg(CASE WHEN f.delay > 15 THEN 1.0 ELSE 0.0 END) AS r
           ${from(range)} GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      return list.map((r) => ({ state: String(r.s), week: day(r.w), share: n(r.r) }));
    },
    async byOrigin(range: Range) {
      const list = await rows(
        `SELECT f.origin AS o, count(*) AS n, avg(f.delay) AS d ${from(range)} GROUP BY 1 ORDER BY 1`,
      );
      return list.map((r) => ({ origin: String(r.o), count: n(r.n), avgDelay: n(r.d) }));
    },
    async statesWithFlights() {
      const list = await rows(`SELECT DISTINCT a.state AS s ${from(undefined)} ORDER BY 1`);
      return list.map((r) => String(r.s));
    },
  };
}
