/**
 * The databases, payloads and checks of `injection.test.ts`: writable copies of the flights data,
 * a words table in each database, and helpers that compile for every dialect or run a query and
 * expect either an exact answer or a 4xx refusal.
 */
import { type Driver, type Filter, InlayError, type QueryInput, type SecurityOptions } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { flightsProjectDir, testDataPaths } from '@inlay/example-flights';
import { afterAll, beforeAll, expect } from 'vitest';
import { type CompiledQuery, compileModel, compileQuery, readModelDir, runQuery } from '../src/index.js';

type Model = ReturnType<typeof compileModel>;
export const DIALECTS = ['duckdb', 'postgres', 'questdb', 'mysql'] as const;
export const ADMIN: SecurityOptions = { roles: ['admin'] };
export const FLIGHTS = 3_000_000;

export const MEGABYTE = "'; DROP TABLE flights; --".repeat(41_944).slice(0, 1_048_576);
export const PAYLOADS: [string, string][] = [
  ['drop table', "'; DROP TABLE flights; --"],
  ['or 1=1', "' OR '1'='1"],
  ['backslash', '\\'],
  ['like wildcards', '%_'],
  ['double quotes', '"quoted"'],
  ['comment', '/* */'],
  ['placeholder', '$1'],
  ['rtl', '\u202Eשלום مرحبا\u202C'],
  ['emoji', '🚀💥👩‍💻'],
  ['nul', 'a\u0000b'],
  ['1 MB', MEGABYTE],
  ['1e309', '1e309'],
  ['-0', '-0'],
  ['template', '{ securityContext.states }'],
];
export const WORDS = [
  '100%',
  '100 percent',
  'a_b',
  'axb',
  'back\\slash',
  'backslash',
  "it's",
  'its',
  '"quoted"',
];
WORDS.push('quoted', '/* c */', '$1', 'שלום', '🚀 rocket', 'rocket', '%_', 'x%_y', 'x');
const WORDS_MODEL = `
cubes:
  - name: words
    sql_table: inlay_injection.words
    public: true
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: word, sql: word, type: string }
    measures:
      - { name: count, type: count }
`;
/** The words table; MySQL has databases for schemas, `?` placeholders and case-blind default collations. */
const SETUP = (words: string[], mysql: boolean) =>
  mysql
    ? [
        'DROP DATABASE IF EXISTS inlay_injection',
        'CREATE DATABASE inlay_injection',
        'CREATE TABLE inlay_injection.words (id INTEGER PRIMARY KEY, word VARCHAR(255)) COLLATE utf8mb4_bin',
        `INSERT INTO inlay_injection.words VALUES ${words.map(() => '(?, ?)').join(', ')}`,
      ]
    : [
        'DROP SCHEMA IF EXISTS inlay_injection CASCADE',
        'CREATE SCHEMA inlay_injection',
        'CREATE TABLE inlay_injection.words (id INTEGER PRIMARY KEY, word VARCHAR)',
        `INSERT INTO inlay_injection.words VALUES ${words.map((_, i) => `(${i + 1}, $${i + 1})`).join(', ')}`,
      ];

/** The compiled models, filled by `useInjectionDatabases`'s beforeAll. */
export const models = { flights: undefined as unknown as Model, words: undefined as unknown as Model };
/** Every airport's city, read from the DuckDB copy. */
export const cities: string[] = [];
/** Writable connections: an in-memory DuckDB copy of the flights store, PostgreSQL and MySQL. */
export const dbs: [string, Driver][] = [];

/** Registers the file's beforeAll (tables written) and afterAll (dropped, connections closed). */
export function useInjectionDatabases(): void {
  beforeAll(async () => {
    const { duckdbPath, pgUrl, mysqlUrl } = testDataPaths();
    models.flights = compileModel(await readModelDir(flightsProjectDir));
    models.words = compileModel([{ path: 'words.cube.yml', content: WORDS_MODEL }]);
    const duck = createDriver('duckdb', {});
    await duck.execute(`ATTACH '${duckdbPath.replaceAll("'", "''")}' AS src (READ_ONLY)`);
    await duck.execute('CREATE TABLE flights AS SELECT * FROM src.flights');
    await duck.execute('CREATE TABLE airports AS SELECT * FROM src.airports');
    await duck.execute('DETACH src');
    const pg = createDriver('postgres', { url: pgUrl });
    const my = createDriver('mysql', { url: mysqlUrl });
    dbs.push(['duckdb', duck], ['postgres', pg], ['mysql', my]);
    for (const [name, d] of dbs) {
      const statements = SETUP(WORDS, name === 'mysql');
      const values = name === 'mysql' ? WORDS.flatMap((w, i) => [i + 1, w]) : WORDS;
      for (const [i, s] of statements.entries())
        await d.execute(s, i === statements.length - 1 ? values : []);
    }
    cities.push(...(await duck.query('SELECT city FROM airports', [])).rows.map((r) => String(r.city)));
  });

  afterAll(async () => {
    await dbs.find(([name]) => name === 'postgres')?.[1].execute('DROP SCHEMA inlay_injection CASCADE');
    await dbs.find(([name]) => name === 'mysql')?.[1].execute('DROP DATABASE inlay_injection');
    await Promise.all(dbs.map(([, d]) => d.close()));
  });
}

export function clientError(e: unknown): InlayError {
  expect(e, String(e)).toBeInstanceOf(InlayError);
  const err = e as InlayError;
  const what = `${err.code} ${err.status}: ${err.message.slice(0, 300)}`;
  expect(err.status >= 400 && err.status < 500, `a 4xx, not ${what}`).toBe(true);
  expect(err.message.length, what).toBeGreaterThan(10);
  return err;
}

export type Request = [query: unknown, security?: SecurityOptions];

/** Compiled for every dialect, or refused alike by all of them (with a 4xx). */
export function compileAll(
  [query, security = ADMIN]: Request,
  m = models.flights,
): CompiledQuery[] | InlayError {
  const out = DIALECTS.map((dialect) => {
    try {
      return compileQuery(m, query, { dialect, security });
    } catch (e) {
      return clientError(e);
    }
  });
  const refused = out.filter((o) => o instanceof InlayError);
  expect(refused.length === 0 || refused.length === out.length, 'dialects disagree').toBe(true);
  return refused.length ? refused[0]! : (out as CompiledQuery[]);
}

/** The payload is refused, or bound: the SQL text equals the one for a harmless value. */
export function expectBound(
  make: (v: unknown) => Request,
  payload: unknown,
  benign: unknown,
  m = models.flights,
): boolean {
  const got = compileAll(make(payload), m);
  if (got instanceof InlayError) return false;
  const base = compileAll(make(benign), m);
  expect(base).not.toBeInstanceOf(InlayError);
  got.forEach((c, i) => {
    expect(c.sql).toBe((base as CompiledQuery[])[i]!.sql);
    if (typeof payload === 'string' && payload.length > 3) expect(c.sql).not.toContain(payload);
  });
  return true;
}

/** A runQuery answer, or the 4xx refusal it must otherwise be. */
export async function answer(d: Driver, [query, security = ADMIN]: Request, m = models.flights) {
  try {
    return (await runQuery(m, d, query, { security })).data;
  } catch (e) {
    return clientError(e);
  }
}

export async function count(
  d: Driver,
  request: Request,
  key = 'flights.count',
): Promise<number | InlayError> {
  const data = await answer(d, request);
  return data instanceof InlayError ? data : Number(data[0]?.[key]);
}

/** Plain SQL written with `$n` placeholders (MySQL's are `?`). */
export const sqlCount = async (d: Driver, sql: string, params: unknown[] = []) =>
  Number(
    (await d.query(d.dialect === 'mysql' ? sql.replace(/\$\d+/g, '?') : sql, params as never)).rows[0]!.n,
  );

export const cityQuery = (filter: Filter): QueryInput => ({
  measures: ['airports.count'],
  filters: [filter],
});
export { matches, STRING_OPS } from './filter-oracle.js';
