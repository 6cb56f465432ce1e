import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { exportCsv } from './csv.js';
import { AIRPORT_ROWS, AIRPORTS_COLUMNS, DATA_VERSION, FLIGHT_ROWS, FLIGHTS_COLUMNS } from './data.js';
import { withMachineLock } from './machine-lock.js';

/**
 * Same columns and types as the PostgreSQL load. Text is compared byte by byte (utf8mb4_bin), as
 * in PostgreSQL and DuckDB: MySQL's default collation would make 'sea' equal 'SEA'.
 */
const TABLES = `CHARACTER SET utf8mb4 COLLATE utf8mb4_bin ENGINE = InnoDB`;
const CREATE_FLIGHTS = `CREATE TABLE flights_loading (id BIGINT NOT NULL PRIMARY KEY, date DATETIME(6),
  delay INT, distance INT, origin VARCHAR(255), destination VARCHAR(255)) ${TABLES}`;
const CREATE_AIRPORTS = `CREATE TABLE airports_loading (iata VARCHAR(255) NOT NULL PRIMARY KEY, name VARCHAR(255),
  city VARCHAR(255), state VARCHAR(255), country VARCHAR(255), latitude DOUBLE, longitude DOUBLE) ${TABLES}`;

/**
 * PostgreSQL's test indexes, and one on `destination`: MariaDB joins airports to flights by
 * nested loops without it (no hash join by default) where PostgreSQL and DuckDB hash.
 */
const INDEXES = [
  'flights_origin_idx (origin)',
  'flights_date_idx (date)',
  'flights_destination_idx (destination)',
];

async function tableExists(c: mysql.Connection, name: string): Promise<boolean> {
  const [rows] = await c.query<mysql.RowDataPacket[]>(
    'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
    [name],
  );
  return rows.length > 0;
}

/** The same check as the PostgreSQL loader: the current version, with every row of both tables. */
async function isLoaded(c: mysql.Connection): Promise<boolean> {
  for (const t of ['inlay_demo_meta', 'flights', 'airports']) if (!(await tableExists(c, t))) return false;
  const [indexes] = await c.query<mysql.RowDataPacket[]>(
    `SELECT count(DISTINCT INDEX_NAME) AS n FROM information_schema.STATISTICS
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'flights' AND INDEX_NAME <> 'PRIMARY'`,
  );
  if (Number(indexes[0]?.n) !== INDEXES.length) return false;
  const [rows] = await c.query<mysql.RowDataPacket[]>(
    `SELECT (SELECT max(version) FROM inlay_demo_meta) = ?
        AND (SELECT count(*) FROM flights) = ?
        AND (SELECT count(*) FROM airports) = ? AS ok`,
    [DATA_VERSION, FLIGHT_ROWS, AIRPORT_ROWS],
  );
  return Number(rows[0]?.ok) === 1;
}

/** LOAD DATA LOCAL from a CSV file mysql2 streams to the server (NULL written as `\N`). */
async function loadFile(c: mysql.Connection, table: string, columns: readonly string[], file: string) {
  await c.query({
    sql: `LOAD DATA LOCAL INFILE ? INTO TABLE ${table} CHARACTER SET utf8mb4
      FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n'
      (${columns.join(', ')})`,
    values: [file],
    infileStreamFactory: (path: string) => createReadStream(path),
  });
}

/**
 * Loads `flights` and `airports` into the URL's database (mysql:// or mariadb://), unless the
 * current version is already there. Loads into `*_loading` tables, then swaps them in with one
 * RENAME TABLE (atomic), so readers see the old tables or the new ones, never a half load.
 * Loaders on this machine take turns (a machine-wide lock per server and database).
 */
export async function loadFlightsIntoMySQL(url: string): Promise<void> {
  const uri = url.replace(/^mariadb:/i, 'mysql:');
  const { host, port, pathname } = new URL(uri);
  await withMachineLock(`mysql-${host}-${port || 3306}-${pathname.slice(1)}`, async () => {
    const c = await mysql.createConnection({ uri });
    c.on('error', () => {});
    let dir: string | null = null;
    try {
      if (await isLoaded(c)) return;
      dir = await mkdtemp(join(tmpdir(), 'inlay-flights-mysql-'));
      const files = await exportCsv(dir, '\\N');
      await c.query('DROP TABLE IF EXISTS flights_loading, airports_loading');
      await c.query(CREATE_FLIGHTS);
      await c.query(CREATE_AIRPORTS);
      await loadFile(c, 'flights_loading', FLIGHTS_COLUMNS, files.flights);
      await loadFile(c, 'airports_loading', AIRPORTS_COLUMNS, files.airports);
      await c.query(`ALTER TABLE flights_loading ${INDEXES.map((i) => `ADD INDEX ${i}`).join(', ')}`);
      await c.query('ANALYZE TABLE flights_loading, airports_loading');
      await c.query('CREATE TABLE IF NOT EXISTS inlay_demo_meta (version INT NOT NULL)');
      await c.query('DROP TABLE IF EXISTS flights_old, airports_old');
      const swap = (await tableExists(c, 'flights')) && (await tableExists(c, 'airports'));
      if (!swap) await c.query('DROP TABLE IF EXISTS flights, airports');
      await c.query(
        swap
          ? 'RENAME TABLE flights TO flights_old, airports TO airports_old, flights_loading TO flights, airports_loading TO airports'
          : 'RENAME TABLE flights_loading TO flights, airports_loading TO airports',
      );
      await c.query('DROP TABLE IF EXISTS flights_old, airports_old');
      await c.query('DELETE FROM inlay_demo_meta');
      await c.query('INSERT INTO inlay_demo_meta (version) VALUES (?)', [DATA_VERSION]);
    } finally {
      if (dir) await rm(dir, { recursive: true, force: true });
      await c.end().catch(() => c.destroy());
    }
  });
}
