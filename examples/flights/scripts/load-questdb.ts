/**
 * Loads the flights demo tables into QuestDB: `flights` with the designated timestamp `date`,
 * partitioned by month (WAL), and `airports`. Already loaded tables are kept.
 *   npx tsx examples/flights/scripts/load-questdb.ts [postgres://admin:quest@127.0.0.1:8812/qdb]
 * The URL defaults to $QUESTDB_URL, then QuestDB's defaults on 127.0.0.1. The rows come from the
 * demo's DuckDB store in $INLAY_DATA_DIR (default ./.inlay), built first when a load needs it.
 */
import { resolve } from 'node:path';
import { loadFlightsIntoQuestDB } from '../src/questdb.js';

const url = process.argv[2] || process.env.QUESTDB_URL || 'postgres://admin:quest@127.0.0.1:8812/qdb';
const shown = url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
const started = Date.now();
try {
  let shownAt = 0;
  const result = await loadFlightsIntoQuestDB(url, {
    dataDir: resolve(process.env.INLAY_DATA_DIR || '.inlay'),
    onProgress: (loaded, total) => {
      if (loaded !== total && Date.now() - shownAt < 5_000) return;
      shownAt = Date.now();
      console.log(`  ${loaded.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} flights written`);
    },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const what = `${result.flights} flights and ${result.airports} airports`;
  console.log(
    result.skipped
      ? `QuestDB at ${shown} already holds the ${what} (${seconds} s)`
      : `QuestDB at ${shown}: loaded ${what} in ${seconds} s`,
  );
} catch (e) {
  const message = (e instanceof Error ? e.message : String(e)).replace(/\/\/[^@/\s]*@/g, '//***@');
  console.error(`loading flights into ${shown} failed: ${message}`);
  process.exitCode = 1;
}
