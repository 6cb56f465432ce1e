import { buildEmbed, DEFAULT_DIST_DIR, isEmbedBuildCurrent } from '@inlay/embed/build';
import { prepareTestData } from '@inlay/example-flights';

/**
 * vitest globalSetup: builds the flights DuckDB store and loads PostgreSQL and, with QUESTDB_URL
 * set, QuestDB once per run (all idempotent, so later runs only check). Tests find the same places
 * with `testDataPaths()` and `questdbTestUrl()`. Also builds the embed runtime when stale. Under CI without QUESTDB_URL the run fails here.
 */
export default async function setup(): Promise<void> {
  const started = Date.now();
  const { duckdbPath, questdb } = await prepareTestData();
  // The embed runtime the servers under test serve, built once here rather than by whichever
  // test asks first (two workers would both build it).
  if (!(await isEmbedBuildCurrent(DEFAULT_DIST_DIR))) await buildEmbed({ outDir: DEFAULT_DIST_DIR });
  process.env.INLAY_TEST_DUCKDB = duckdbPath;
  if (questdb && !questdb.skipped) console.log(`QuestDB: loaded ${questdb.flights} flights for the tests`);
  const seconds = (Date.now() - started) / 1000;
  if (seconds > 1) console.log(`test data ready in ${seconds.toFixed(1)} s`);
}
