/**
 * Fan-out, chasm traps and the less common model features, on a tiny data set whose answers are
 * written out by hand (see fixtures/fanout/models). The same tables are created in an in-memory
 * DuckDB and in the `fanout` schema of the test PostgreSQL database.
 * The data and its hand-written answers: fixtures/fanout/data.ts and fixtures/fanout/cases.ts.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Driver, SecurityOptions } from '@inlay/core';
import { createDriver } from '@inlay/drivers';
import { testDataPaths } from '@inlay/example-flights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileModel, readModelDir, runQuery } from '../src/index.js';
import { expectSameRows, withBaseTimeKeys } from './corpus/compare.js';
import { fanoutCases } from './fixtures/fanout/cases.js';
import { SETUP_SQL } from './fixtures/fanout/data.js';

const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'fanout');
const ADMIN: SecurityOptions = { roles: ['admin'] };

let model: ReturnType<typeof compileModel>;
const drivers: { name: string; driver: Driver }[] = [];

async function setUp(driver: Driver): Promise<void> {
  for (const statement of SETUP_SQL) await driver.execute(statement);
}

beforeAll(async () => {
  model = compileModel(await readModelDir(FIXTURE_DIR));
  const duck = createDriver('duckdb', {});
  const pg = createDriver('postgres', { url: testDataPaths().pgUrl });
  drivers.push({ name: 'duckdb', driver: duck }, { name: 'postgres', driver: pg });
  await Promise.all([setUp(duck), setUp(pg)]);
});

afterAll(async () => {
  for (const { name, driver } of drivers) {
    if (name === 'postgres') await driver.execute('DROP SCHEMA IF EXISTS fanout CASCADE').catch(() => {});
    await driver.close();
  }
});

describe('fan-out fixture', () => {
  for (const c of fanoutCases) {
    describe(c.name, () => {
      for (const name of ['duckdb', 'postgres']) {
        it(name, async () => {
          const driver = drivers.find((d) => d.name === name)!.driver;
          const response = await runQuery(model, driver, c.query, { security: ADMIN });
          expectSameRows(response.data, withBaseTimeKeys(c.rows, c.query), {
            name: c.name,
            ordered: c.ordered ?? false,
            measures: c.query.measures,
          });
        });
      }
    });
  }

  it('view excludes and prefixes hide the original names', async () => {
    const duck = drivers.find((d) => d.name === 'duckdb')!.driver;
    for (const member of ['customer_overview.support_tickets_id', 'customer_overview.priority']) {
      await expect(
        runQuery(model, duck, { dimensions: [member] }, { security: ADMIN }),
        `${member} should not exist`,
      ).rejects.toThrow();
    }
  });
});
