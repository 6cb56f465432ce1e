import { DuckDBDriver, QuestDBDriver } from '@inlay/drivers';
import { AIRPORT_ROWS, AIRPORTS_COLUMNS, FLIGHT_ROWS, FLIGHTS_COLUMNS } from './data.js';
import { ensureFlightsDuckDB } from './duckdb.js';
import { withMachineLock } from './machine-lock.js';
import { testDataPaths } from './paths.js';

export interface QuestDBLoadOptions {
  /** Load only flights with `id <= flightRows` (a sample; default every flight). */
  flightRows?: number;
  /** The DuckDB flights store to read; else built (only when a load is needed) into `dataDir`. */
  duckdbPath?: string;
  /** Where `ensureFlightsDuckDB` builds the store when `duckdbPath` is absent (default the tests'). */
  dataDir?: string;
  /** Rows per INSERT statement (each row binds 6 or 7 parameters). */
  batchRows?: number;
  /** INSERT statements in flight at once (one connection each). */
  concurrency?: number;
  /** How long to wait for WAL-written rows to become visible. */
  visibleWithinMs?: number;
  onProgress?: (loaded: number, total: number) => void;
}

export interface QuestDBLoadResult {
  flights: number;
  airports: number;
  /** True when the tables already held exactly this data and nothing was written. */
  skipped: boolean;
}

const CHUNK_ROWS = 50_000;

const CREATE_FLIGHTS = `CREATE TABLE flights (id LONG, date TIMESTAMP, delay INT, distance INT,
  origin SYMBOL, destination SYMBOL) TIMESTAMP(date) PARTITION BY MONTH WAL`;
// No time column: a plain (non-partitioned, non-WAL) table, visible as soon as it is written.
// Join keys are SYMBOL on both sides, as QuestDB schemas usually have them.
const CREATE_AIRPORTS = `CREATE TABLE airports (iata SYMBOL, name VARCHAR, city VARCHAR,
  state SYMBOL, country SYMBOL, latitude DOUBLE, longitude DOUBLE)`;

type Quest = QuestDBDriver;

async function counts(
  q: Quest,
): Promise<{ flights: number; lo: number; hi: number; airports: number } | null> {
  const tables = await q.tables('public');
  if (!tables.includes('flights') || !tables.includes('airports')) return null;
  const f = await q.query('SELECT count() AS n, min(id) AS lo, max(id) AS hi FROM flights', []);
  const a = await q.query('SELECT count() AS n FROM airports', []);
  const row = f.rows[0] ?? {};
  return {
    flights: Number(row.n ?? 0),
    lo: Number(row.lo ?? 0),
    hi: Number(row.hi ?? 0),
    airports: Number(a.rows[0]?.n ?? 0),
  };
}

function insertSql(table: string, columns: readonly string[], rows: number): string {
  let n = 0;
  const tuple = () => `(${columns.map(() => `$${++n}`).join(', ')})`;
  const values = Array.from({ length: rows }, tuple).join(', ');
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`;
}

/** Runs `tasks` with at most `limit` at once; the first failure rejects (the rest still settle). */
async function pooled(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

async function insertRows(
  q: Quest,
  table: string,
  columns: readonly string[],
  rows: Record<string, unknown>[],
  batchRows: number,
  concurrency: number,
): Promise<void> {
  const tasks: (() => Promise<void>)[] = [];
  for (let i = 0; i < rows.length; i += batchRows) {
    const batch = rows.slice(i, i + batchRows);
    const params = batch.flatMap((r) =>
      columns.map((c) => {
        const v = r[c];
        // The store's timestamps are naive UTC ISO text, which QuestDB parses for a TIMESTAMP column.
        return v === undefined ? null : (v as string | number | null);
      }),
    );
    tasks.push(() => q.execute(insertSql(table, columns, batch.length), params));
  }
  await pooled(tasks, concurrency);
}

/** Polls until `check` holds: WAL tables apply committed rows asynchronously. */
async function waitUntil(check: () => Promise<boolean>, withinMs: number, what: string): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`QuestDB: ${what} not visible after ${withinMs} ms.`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** True when the tables hold exactly flights 1..`target` and every airport. */
async function isLoaded(q: Quest, target: number): Promise<boolean> {
  const c = await counts(q);
  return c !== null && c.flights === target && c.lo === 1 && c.hi === target && c.airports === AIRPORT_ROWS;
}

/** One loader per QuestDB server at a time (by host and port, whatever the login). */
function lockName(url: string): string {
  try {
    const u = new URL(url);
    return `questdb-flights-${u.hostname}-${u.port || 8812}`;
  } catch {
    return 'questdb-flights';
  }
}

/** Drops and recreates both tables, then writes airports and flights 1..`target` from DuckDB. */
async function writeTables(
  q: Quest,
  duckdbPath: string,
  target: number,
  batchRows: number,
  concurrency: number,
  onProgress?: (loaded: number, total: number) => void,
): Promise<void> {
  const duck = new DuckDBDriver({ path: duckdbPath }, { readOnly: true });
  try {
    await q.execute('DROP TABLE IF EXISTS flights');
    await q.execute('DROP TABLE IF EXISTS airports');
    await q.execute(CREATE_FLIGHTS);
    await q.execute(CREATE_AIRPORTS);

    const airports = await duck.query(
      `SELECT ${AIRPORTS_COLUMNS.join(', ')} FROM airports ORDER BY iata`,
      [],
    );
    // A table without WAL takes one writer at a time ("table busy" otherwise).
    await insertRows(q, 'airports', AIRPORTS_COLUMNS, airports.rows, batchRows, 1);

    for (let lo = 0; lo < target; lo += CHUNK_ROWS) {
      const hi = Math.min(lo + CHUNK_ROWS, target);
      const chunk = await duck.query(
        `SELECT ${FLIGHTS_COLUMNS.join(', ')} FROM flights WHERE id > $1 AND id <= $2 ORDER BY id`,
        [lo, hi],
      );
      await insertRows(q, 'flights', FLIGHTS_COLUMNS, chunk.rows, batchRows, concurrency);
      onProgress?.(hi, target);
    }
  } finally {
    await duck.close();
  }
}

/**
 * Loads `flights` (designated timestamp `date`, `PARTITION BY MONTH`, WAL) and `airports` into
 * the QuestDB at `url` through its PostgreSQL wire protocol, reading the DuckDB flights store.
 * Tables that already hold exactly the requested rows are kept. Loaders on this machine take
 * turns (a machine-wide lock per server), and one that waited finds the tables loaded and
 * returns. Resolves once every row is visible to queries.
 */
export async function loadFlightsIntoQuestDB(
  url: string,
  options: QuestDBLoadOptions = {},
): Promise<QuestDBLoadResult> {
  const target = Math.max(1, Math.min(options.flightRows ?? FLIGHT_ROWS, FLIGHT_ROWS));
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const batchRows = Math.max(1, options.batchRows ?? 500);
  const visibleWithinMs = options.visibleWithinMs ?? 120_000;
  const done = (skipped: boolean): QuestDBLoadResult => ({
    flights: target,
    airports: AIRPORT_ROWS,
    skipped,
  });
  const q = new QuestDBDriver({ url }, { poolSize: concurrency });
  try {
    if (await isLoaded(q, target)) return done(true);
    return await withMachineLock(lockName(url), async () => {
      if (await isLoaded(q, target)) return done(true);
      const duckdbPath =
        options.duckdbPath ?? (await ensureFlightsDuckDB(options.dataDir ?? testDataPaths().dataDir));
      await writeTables(q, duckdbPath, target, batchRows, concurrency, options.onProgress);
      await waitUntil(
        () => isLoaded(q, target),
        visibleWithinMs,
        `${target} flights and ${AIRPORT_ROWS} airports`,
      );
      return done(false);
    });
  } finally {
    await q.close();
  }
}
