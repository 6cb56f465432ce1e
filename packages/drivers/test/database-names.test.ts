/**
 * A database is named in its own folders only: `packages/drivers/src/<type>/` and
 * `packages/engine/src/dialects/<type>/`. Everything else derives from the registry, so a quoted
 * database name anywhere else in `packages/*\/src` fails here with its file and line. Tests, docs
 * and examples are not scanned; comments are skipped.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { databasePlugins } from '../src/index.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PLUGINS = databasePlugins();

/** Every type and alias in the registry, and the database being added beside them. */
const NAMES = [...new Set([...PLUGINS.flatMap((p) => [p.type, ...(p.aliases ?? [])]), 'mysql', 'mariadb'])];

/** The folders a database owns (its plugin, its dialect). */
const OWN = PLUGINS.flatMap((p) => [
  `packages/drivers/src/${p.type}/`,
  `packages/engine/src/dialects/${p.dialect}/`,
]);

/** Files or folders that may name a database, each with the reason. */
const ALLOWED: Record<string, string> = {
  'packages/engine/src/rollups/':
    'pre-aggregations are stored in DuckDB files by design, whatever database the data comes from',
  'packages/server/src/query/answer.ts': 'answers from pre-aggregations, which are DuckDB files by design',
  'packages/server/src/store/open.ts':
    "the server's own metadata store (SQLite or PostgreSQL through Kysely), not a connection type",
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

const isComment = (line: string) => /^\s*(\/\/|\/\*|\*)/.test(line);

/** `file:line: text` for each line of the files under `path` that names a database in quotes. */
function namings(path: string): string[] {
  const quoted = new RegExp(`(['"\`])(${NAMES.join('|')})\\1`);
  const found: string[] = [];
  for (const file of statSync(path).isDirectory() ? sources(path) : [path]) {
    const rel = relative(ROOT, file).split('\\').join('/');
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (!isComment(line) && quoted.test(line)) found.push(`${rel}:${i + 1}: ${line.trim()}`);
      });
  }
  return found;
}

const allowed = (rel: string) =>
  OWN.some((own) => rel.startsWith(own)) ||
  Object.keys(ALLOWED).some((a) => rel === a || (a.endsWith('/') && rel.startsWith(a)));

describe('database names', () => {
  it('appear in quotes only in their own folders (and the allow-list, each with its reason)', () => {
    const found: string[] = [];
    for (const pkg of readdirSync(join(ROOT, 'packages'))) {
      const src = join(ROOT, 'packages', pkg, 'src');
      if (!existsSync(src)) continue;
      for (const file of sources(src)) {
        if (!allowed(relative(ROOT, file).split('\\').join('/'))) found.push(...namings(file));
      }
    }
    expect(found, 'derive these from the registry (packages/drivers/src/registry.ts)').toEqual([]);
  });

  it('has no stale allow-list entry: each still names a database', () => {
    for (const path of Object.keys(ALLOWED)) {
      const full = join(ROOT, path);
      expect(
        existsSync(full) && namings(full).length > 0,
        `${path} no longer needs its entry in ALLOWED`,
      ).toBe(true);
    }
  });
});
