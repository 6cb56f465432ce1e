/**
 * A server without time zone tables: CONVERT_TZ would answer NULL for every named zone, so the
 * driver must refuse such a query with a clear CONFIG error instead of returning NULL buckets.
 * Runs its own throwaway MariaDB (fresh data directory, no zone tables) on a free port.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MySQLDriver } from '../src/index.js';

const MARIADBD = '/usr/sbin/mariadbd';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe('MySQL driver on a server without time zone tables', () => {
  let dir: string;
  let server: ChildProcess | undefined;
  let port: number;

  beforeAll(async () => {
    if (!existsSync(MARIADBD))
      throw new Error(`${MARIADBD} is missing: install mariadb-server (.ci/run does).`);
    dir = mkdtempSync(join(tmpdir(), 'inlay-mariadb-'));
    const user = userInfo().username;
    // A MariaDB server deletes every `#sql*` file in its tmpdir when it starts: sharing /tmp
    // with the machine's server would remove that server's temporary tables mid-query.
    const ownTmp = join(dir, 'tmp');
    mkdirSync(ownTmp);
    const env = { ...process.env, TMPDIR: ownTmp };
    await promisify(execFile)(
      'mariadb-install-db',
      [
        '--no-defaults',
        `--datadir=${join(dir, 'data')}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        `--user=${user}`,
      ],
      { env },
    );
    port = await freePort();
    server = spawn(
      MARIADBD,
      [
        '--no-defaults',
        `--datadir=${join(dir, 'data')}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(dir, 'sock')}`,
        `--tmpdir=${ownTmp}`,
        `--user=${user}`,
        '--innodb-buffer-pool-size=16M',
      ],
      { stdio: 'ignore', env },
    );
    const probe = new MySQLDriver({ host: '127.0.0.1', port, user: 'root', database: 'mysql' });
    try {
      for (let i = 0; ; i++) {
        try {
          await probe.test();
          break;
        } catch (e) {
          if (i > 100) throw e;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    } finally {
      await probe.close();
    }
  }, 60_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('refuses a named-zone conversion with a CONFIG error saying how to load the tables', async () => {
    const d = new MySQLDriver({ host: '127.0.0.1', port, user: 'root', database: 'mysql' });
    try {
      const sql = "SELECT CONVERT_TZ(TIMESTAMP '2001-01-01 00:00:00', '+00:00', ?) AS local";
      await expect(d.query(sql, ['America/New_York'])).rejects.toMatchObject({
        code: 'CONFIG',
        message: expect.stringContaining('no time zone tables'),
        hint: expect.stringContaining('mysql_tzinfo_to_sql /usr/share/zoneinfo'),
      });
      // Queries without a named zone are unaffected.
      expect((await d.query('SELECT 1 AS one', [])).rows).toEqual([{ one: 1 }]);
    } finally {
      await d.close();
    }
  });
});
