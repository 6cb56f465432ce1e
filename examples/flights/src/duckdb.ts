import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DuckDBDriver } from '@inlay/drivers';
import { AIRPORT_ROWS, airportsSelect, DATA_VERSION, FLIGHT_ROWS, flightsSelect } from './data.js';
import { sourceFiles } from './paths.js';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * What a complete build leaves beside the file: its version and the file's size and mtime. A start
 * that finds them matching skips opening the file to count its rows (a second DuckDB instance,
 * ~30 ms and memory the allocator keeps, on every start); any change to the file sends it back to
 * counting.
 */
const stampOf = (path: string) => `${path}.complete`;

async function fileStamp(path: string): Promise<string> {
  const s = await stat(path);
  return JSON.stringify({ version: DATA_VERSION, size: s.size, mtimeMs: s.mtimeMs });
}

async function stampMatches(path: string): Promise<boolean> {
  try {
    return (await readFile(stampOf(path), 'utf8')) === (await fileStamp(path));
  } catch {
    return false;
  }
}

/** True when `path` is a flights store of the current version with every row. */
async function isComplete(path: string): Promise<boolean> {
  if (!(await exists(path))) return false;
  if (await stampMatches(path)) return true;
  if (!(await countsMatch(path))) return false;
  await writeFile(stampOf(path), await fileStamp(path)).catch(() => {});
  return true;
}

async function countsMatch(path: string): Promise<boolean> {
  const d = new DuckDBDriver({ path }, { readOnly: true });
  try {
    const { rows } = await d.query(
      `SELECT (SELECT max(version) FROM inlay_demo_meta) AS version,
              (SELECT count(*) FROM flights) AS flights, (SELECT count(*) FROM airports) AS airports`,
      [],
    );
    const r = rows[0];
    return r?.version === DATA_VERSION && r.flights === FLIGHT_ROWS && r.airports === AIRPORT_ROWS;
  } catch {
    return false;
  } finally {
    await d.close();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporary files left by builds whose process died. */
async function removeAbandoned(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    const m = /^flights\.duckdb\.(\d+)-[0-9a-f]+\.tmp(\.wal)?$/.exec(name);
    if (m && !isAlive(Number(m[1]))) await rm(join(dir, name), { force: true });
  }
}

/** Where `ensureFlightsDuckDB(dataDir)` puts the flights store. */
export function flightsDuckDBPath(dataDir: string): string {
  return join(resolve(dataDir), 'flights.duckdb');
}

/** True when `<dataDir>/flights.duckdb` is complete, so `ensureFlightsDuckDB` would build nothing. */
export function flightsDuckDBComplete(dataDir: string): Promise<boolean> {
  return isComplete(flightsDuckDBPath(dataDir));
}

/**
 * Builds `<dataDir>/flights.duckdb` (tables `flights`, `airports`, `inlay_demo_meta`) unless a
 * complete one is there. The file is built under a temporary name and renamed into place, so
 * readers never see half a file and racing processes each end with a valid one.
 */
export async function ensureFlightsDuckDB(dataDir: string): Promise<string> {
  const target = flightsDuckDBPath(dataDir);
  if (await isComplete(target)) return target;
  await mkdir(resolve(dataDir), { recursive: true });
  await removeAbandoned(resolve(dataDir));
  const tmp = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const { flightsParquet, airportsCsv } = sourceFiles();
  const d = new DuckDBDriver({ path: tmp });
  try {
    await d.execute(`
      CREATE TABLE flights (id BIGINT PRIMARY KEY, date TIMESTAMP, delay INTEGER, distance INTEGER,
        origin VARCHAR, destination VARCHAR);
      INSERT INTO flights ${flightsSelect(flightsParquet)};
      CREATE TABLE airports (iata VARCHAR PRIMARY KEY, name VARCHAR, city VARCHAR, state VARCHAR,
        country VARCHAR, latitude DOUBLE, longitude DOUBLE);
      INSERT INTO airports ${airportsSelect(airportsCsv)};
      CREATE TABLE inlay_demo_meta (version INTEGER NOT NULL);
      INSERT INTO inlay_demo_meta VALUES (${DATA_VERSION});
      CHECKPOINT;`);
    // Closing the write instance releases its lock and folds the WAL into the file.
    await d.close();
    await rm(`${target}.wal`, { force: true });
    await rename(tmp, target);
    await writeFile(stampOf(target), await fileStamp(target));
  } catch (e) {
    await d.close();
    await rm(tmp, { force: true });
    await rm(`${tmp}.wal`, { force: true });
    throw e;
  }
  return target;
}
