/**
 * The flights corpus (and the shapes in questdb/extra-model.ts) through `runQuery` on a real
 * QuestDB, compared with the hand-written answers run on DuckDB. Runs only when QUESTDB_URL is
 * set; loads the flights into QuestDB first (kept between runs when already complete).
 * QUESTDB_FLIGHT_ROWS=n loads only flights 1..n (faster), and DuckDB then answers over the same n.
 */
import type { Driver, LoadResponse, QueryInput, SecurityOptions } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import {
  FLIGHT_ROWS,
  flightsProjectDir,
  loadFlightsIntoQuestDB,
  testDataPaths,
} from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileModel, readModelDir, runQuery } from '../src/index.js';
import { expectSameRows, toResultRow, withBaseTimeKeys } from './corpus/compare.js';
import { ADMIN, flightsCorpus } from './corpus/index.js';
import { extraCases, FLIGHT_SERIES_MODEL } from './questdb/extra-model.js';

const QUESTDB_URL = process.env.QUESTDB_URL;
const SKIPPED =
  'QuestDB live tests skipped: set QUESTDB_URL=postgres://admin:quest@127.0.0.1:8812/qdb to run them';
if (!QUESTDB_URL) console.log(SKIPPED);

interface LiveCase {
  name: string;
  query: QueryInput;
  security?: SecurityOptions;
  now?: string;
  ordered: boolean;
  expectedSql: string;
  expectedTotalSql?: string;
}

describe.skipIf(!QUESTDB_URL)('flights corpus on QuestDB', () => {
  let model: ReturnType<typeof compileModel>;
  let quest: Driver;
  let reference: Driver;

  beforeAll(async () => {
    const flightRows = Math.min(Number(process.env.QUESTDB_FLIGHT_ROWS) || FLIGHT_ROWS, FLIGHT_ROWS);
    const { duckdbPath } = testDataPaths();
    const started = Date.now();
    const loaded = await loadFlightsIntoQuestDB(QUESTDB_URL!, { flightRows, duckdbPath });
    if (!loaded.skipped)
      console.log(`QuestDB: loaded ${loaded.flights} flights in ${(Date.now() - started) / 1000} s`);
    model = compileModel([...(await readModelDir(flightsProjectDir)), FLIGHT_SERIES_MODEL]);
    quest = createDriver('questdb', { url: QUESTDB_URL! });
    await quest.test();
    // The answers: hand-written SQL on DuckDB over exactly the flights QuestDB holds.
    reference = createDriver('duckdb', {});
    await reference.execute(`
      ATTACH '${duckdbPath.replaceAll("'", "''")}' AS src (READ_ONLY);
      CREATE VIEW flights AS SELECT * FROM src.flights WHERE id <= ${flightRows};
      CREATE VIEW airports AS SELECT * FROM src.airports;`);
  }, 1_800_000);

  afterAll(async () => {
    await Promise.all([quest?.close(), reference?.close()]);
  });

  async function check(c: LiveCase): Promise<void> {
    const want = withBaseTimeKeys((await reference.query(c.expectedSql, [])).rows.map(toResultRow), c.query);
    const response: LoadResponse = await runQuery(model, quest, c.query, {
      security: c.security ?? ADMIN,
      timeoutMs: 30_000,
      ...(c.now ? { now: new Date(c.now) } : {}),
    });
    expectSameRows(response.data, want, { name: c.name, ordered: c.ordered, measures: c.query.measures });
    if (c.expectedTotalSql) {
      const t = await reference.query(c.expectedTotalSql, []);
      expect(response.total).toBe(Number(t.rows[0]?.total));
    }
  }

  for (const c of flightsCorpus) it(c.name, () => check(c));
  for (const c of extraCases) it(`extra: ${c.name}`, () => check(c));
});
