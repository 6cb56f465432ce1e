import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The server's layers, read from the imports of src/: the walk of a `/load` request goes
 * route → query answering → workspace (model + environment → connection) → cache → engine →
 * driver, and no module lower in it imports a higher one. This scans the source text; it needs
 * no build.
 */
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');
/** The entry points: the app (registers the routes), the package's exports, the server's and the worker's start-up. */
const ENTRY = new Set(['app.ts', 'index.ts', 'startup.ts', 'worker.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

/** Every file of src/ (relative, `/`-separated) with the src/ files it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
    const targets = specifiers.map((s) =>
      relative(SRC, resolve(dirname(file), s.replace(/\.js$/, '.ts'))).replaceAll('\\', '/'),
    );
    graph.set(relative(SRC, file).replaceAll('\\', '/'), targets);
  }
  return graph;
}

const folderOf = (path: string): string => (path.includes('/') ? path.slice(0, path.indexOf('/')) : '');

/** `from → to` for every import from a file in `from` folders into a file in `to` folders. */
function importsBetween(
  graph: Map<string, string[]>,
  from: (file: string) => boolean,
  to: (file: string) => boolean,
): string[] {
  const out: string[] = [];
  for (const [file, targets] of graph) {
    if (!from(file)) continue;
    for (const t of targets) if (to(t)) out.push(`${file} → ${t}`);
  }
  return out;
}

const inFolder =
  (...folders: string[]) =>
  (file: string) =>
    folders.includes(folderOf(file));

describe('server layers', () => {
  const graph = importGraph();

  it('finds the source files and their imports', () => {
    expect(graph.get('app.ts')).toContain('routes/data.ts');
    expect(graph.size).toBeGreaterThan(50);
  });

  it('routes/ is imported only by routes/ and the entry points', () => {
    const outside = (f: string) => folderOf(f) !== 'routes' && !ENTRY.has(f);
    expect(importsBetween(graph, outside, inFolder('routes'))).toEqual([]);
  });

  it('workspaces/ imports no routes/, plugins/, query answering or entry point', () => {
    const higher = (f: string) => inFolder('routes', 'plugins', 'query')(f) || ENTRY.has(f);
    expect(importsBetween(graph, inFolder('workspaces'), higher)).toEqual([]);
  });

  it('query answering imports no routes/ or plugins/', () => {
    expect(importsBetween(graph, inFolder('query'), inFolder('routes', 'plugins'))).toEqual([]);
  });

  it('below query answering nothing imports it, and no folder imports an entry point', () => {
    const belowQuery = (f: string) => !inFolder('routes', 'query')(f) && !ENTRY.has(f);
    expect(importsBetween(graph, belowQuery, inFolder('query'))).toEqual([]);
    expect(
      importsBetween(
        graph,
        (f) => folderOf(f) !== '',
        (t) => ENTRY.has(t),
      ),
    ).toEqual([]);
  });

  it('the caches (L1 and L2) and the store import no workspace, route or query answering', () => {
    const higher = inFolder('routes', 'query', 'workspaces', 'plugins');
    expect(importsBetween(graph, inFolder('cache', 'preaggs', 'store'), higher)).toEqual([]);
  });

  it('the source root holds only the entry points', () => {
    const root = [...graph.keys()].filter((f) => folderOf(f) === '');
    expect(root.sort()).toEqual([...ENTRY].sort());
  });
});
