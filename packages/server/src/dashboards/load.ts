import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type DashboardDocument, dashboardFileSchema, dashboardModels, InlayError } from '@inlay/core';
import { type ParsedFile, parseModelFile } from '@inlay/engine';
import type { z } from 'zod';

/** Publish tags. A dashboard as code has one version, and every tag points at it. */
export const VERSION_TAGS = ['production', 'staging', 'development'] as const;

export interface DashboardEntry {
  id: string;
  name: string;
  title?: string;
  /** The versions and tags a token may name as `savedVersion`. */
  versions: string[];
  /** The cubes and views the dashboard's datasets read: all a token for it may query. */
  models: Set<string>;
  /** Project-relative file it was defined in. */
  file: string;
  /** The full document (short forms normalised), as the store keeps it. */
  definition: DashboardDocument;
}

export interface DashboardCatalog {
  /** By id or name; undefined when neither matches. */
  find(idOrName: string): DashboardEntry | undefined;
  list(): DashboardEntry[];
}

export const DASHBOARD_FILE = /\.embeddable\.ya?ml$/;

export function createCatalog(entries: DashboardEntry[]): DashboardCatalog {
  const byKey = new Map<string, DashboardEntry>();
  for (const e of entries) {
    byKey.set(e.id, e);
    byKey.set(e.name, e);
  }
  return { find: (key) => byKey.get(key), list: () => [...entries] };
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(abs)));
    else if (DASHBOARD_FILE.test(entry.name)) out.push(abs);
  }
  return out.sort();
}

function invalid(file: ParsedFile, parts: (string | number)[], message: string): InlayError {
  const line = file.lineOf(parts);
  return new InlayError('MODEL_INVALID', message, {
    where: { file: file.path, ...(line ? { line } : {}), path: parts.join('.') },
    hint: 'See examples/flights/flights-overview.embeddable.yml for the shape.',
  });
}

/**
 * The issue to report: a misspelt key also makes the real one "missing", so the unknown key is the
 * line to point at; a union that failed is reported by its closest branch.
 */
function firstIssue(
  issues: z.core.$ZodIssue[],
  at: PropertyKey[] = [],
): { path: (string | number)[]; message: string } {
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!;
  const path = [...at, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length) {
    const closest = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0]!;
    if (closest.length) return firstIssue(closest, path);
  }
  const parts = path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys' && issue.keys[0]) parts.push(issue.keys[0]);
  return { path: parts, message: issue.message };
}
const depth = (issues: z.core.$ZodIssue[]) => Math.max(0, ...issues.map((i) => i.path.length));

function entriesOf(file: ParsedFile): DashboardEntry[] {
  const parsed = dashboardFileSchema.safeParse(file.data);
  if (!parsed.success) {
    const { path: parts, message } = firstIssue(parsed.error.issues);
    throw invalid(file, parts, `${parts.join('.') || 'document'}: ${message}`);
  }
  return parsed.data.embeddables.map((d) => ({
    id: d.id,
    name: d.name,
    ...(d.title ? { title: d.title } : {}),
    versions: [d.version, ...VERSION_TAGS],
    models: dashboardModels(d),
    file: file.path,
    definition: d,
  }));
}

/**
 * Reads every `*.embeddable.yml` under the project (not `node_modules` or dot folders). Errors
 * name the file and line, as model errors do; an id or name defined twice is an error too.
 */
export async function loadDashboards(projectDir: string): Promise<DashboardCatalog> {
  const files: { path: string; content: string }[] = [];
  for (const abs of await walk(projectDir)) {
    files.push({ path: path.relative(projectDir, abs), content: await readFile(abs, 'utf8') });
  }
  return createCatalog(parseDashboardFiles(files));
}

/** `*.embeddable.yml` texts (project-relative paths) → dashboards; same errors as `loadDashboards`. */
export function parseDashboardFiles(files: { path: string; content: string }[]): DashboardEntry[] {
  const entries: DashboardEntry[] = [];
  const seen = new Map<string, string>();
  for (const { path: rel, content } of files) {
    const file = parseModelFile({ path: rel, content });
    for (const e of entriesOf(file)) {
      for (const key of new Set([e.id, e.name])) {
        const other = seen.get(key);
        if (other) {
          throw new InlayError('MODEL_INVALID', `dashboard '${key}' is defined twice (also in ${other}).`, {
            where: { file: rel },
            hint: 'Ids and names of dashboards must be unique in a project.',
          });
        }
        seen.set(key, rel);
      }
      entries.push(e);
    }
  }
  return entries;
}
