import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { COMPONENTS_BUILD_DIR, type ComponentsManifest, InlayError, isInlayError } from '@inlay/core';
import { buildStaged } from '@inlay/embed/build-output';
import { compileModel, ModelErrors, readModelDir } from '@inlay/engine';
import { collectBundle } from '../bundle/pack.js';
import { type BuiltFile, bundleComponents } from './bundle.js';
import { checkDashboards, checkMetas } from './checks.js';
import { evaluateComponents } from './evaluate.js';
import { BuildFailed, type BuildProblem } from './problems.js';
import { typeCheck } from './typecheck.js';

export { type BuildProblem, formatProblem } from './problems.js';

/**
 * `inlay build` as a function (`inlay dev` calls it too; `inlay push` sends what it wrote): type-check, validate
 * models, components' metas and dashboards, then bundle the components into `.inlay-build/`.
 * Either every check passes and the new build replaces the old one in a single rename, or the
 * problems are returned and nothing in the project changes.
 */

export interface BuildOptions {
  /** Default `<project>/.inlay-build`. */
  outDir?: string;
  /** Default true; `inlay dev` may skip it while it shows type errors its own way. */
  typeCheck?: boolean;
}

export type BuildOutcome =
  | { ok: true; outDir: string; manifest: ComponentsManifest; files: BuiltFile[]; ms: number }
  | { ok: false; problems: BuildProblem[]; ms: number };

export type { BuiltFile } from './bundle.js';

/** `components/**` files that may be (or hold the meta of) a component, project-relative. */
async function componentFiles(projectDir: string): Promise<{ modules: string[]; typescript: string[] }> {
  const modules: string[] = [];
  const typescript: string[] = [];
  const walk = async (rel: string) => {
    const entries = await readdir(join(projectDir, rel), { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const path = `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(path);
      else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) {
        typescript.push(path);
        if (e.name.endsWith('.tsx') || e.name.endsWith('.emb.ts')) modules.push(path);
      }
    }
  };
  await walk('components');
  return { modules, typescript };
}

/** The standard library the project depends on (else the one beside this SDK). */
function standardRegistry(projectDir: string): string | undefined {
  for (const from of [join(projectDir, 'package.json'), import.meta.url]) {
    try {
      return createRequire(from).resolve('@inlay/components/registry');
    } catch {
      // Not found from there.
    }
  }
  return undefined;
}

async function modelProblems(projectDir: string): Promise<BuildProblem[]> {
  if (!existsSync(join(projectDir, 'models'))) return [];
  try {
    compileModel(await readModelDir(projectDir));
    return [];
  } catch (err) {
    const errors = err instanceof ModelErrors ? err.errors : isInlayError(err) ? [err] : undefined;
    if (!errors) throw err;
    return errors.map((e) => {
      const { file, line, ...where } = e.where ?? {};
      // The place is printed as `file:line` before the message, like every other problem.
      const rest = new InlayError(e.code, e.message, { where, ...(e.hint ? { hint: e.hint } : {}) });
      return { ...(file ? { file } : {}), ...(line ? { line } : {}), message: rest.describe() };
    });
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byPlace = (a: BuildProblem, b: BuildProblem) =>
  compare(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);

/** The type-check alone, as `buildProject` runs it: `inlay dev` runs it beside its quicker rebuilds. */
export async function typeCheckProject(projectDir: string): Promise<BuildProblem[]> {
  const { typescript } = await componentFiles(projectDir);
  const config = existsSync(join(projectDir, 'inlay.config.ts')) ? ['inlay.config.ts'] : [];
  return (await typeCheck(projectDir, [...typescript, ...config])).sort(byPlace);
}

export async function buildProject(projectDir: string, options: BuildOptions = {}): Promise<BuildOutcome> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const outDir = options.outDir ?? join(projectDir, COMPONENTS_BUILD_DIR);
  const { modules, typescript } = await componentFiles(projectDir);
  const config = existsSync(join(projectDir, 'inlay.config.ts')) ? ['inlay.config.ts'] : [];
  // tsc runs in its own process while the rest is checked and bundled here.
  const types =
    options.typeCheck === false ? Promise.resolve([]) : typeCheck(projectDir, [...typescript, ...config]);
  types.catch(() => {});

  const registry = standardRegistry(projectDir);
  const problems: BuildProblem[] = await modelProblems(projectDir);
  if (!registry) {
    problems.push({
      message:
        'the standard components (@inlay/components) are not installed, so names cannot be checked: npm install @inlay/components.',
    });
  }
  const evaluation = await evaluateComponents(projectDir, modules, registry);
  problems.push(...evaluation.problems);
  const sources = new Map<string, string>();
  for (const c of evaluation.components) {
    for (const f of c.sources) sources.set(f, await readFile(join(projectDir, f), 'utf8'));
  }
  const standard = evaluation.standard ?? new Map<string, unknown>();
  problems.push(...checkMetas(evaluation.components, standard, sources));
  // A standard name always means the standard component (in embeds too), so it wins here.
  const metas = new Map([...evaluation.components.map((c) => [c.name, c.meta] as const), ...standard]);
  // When the components did not even compile, no name is known: every widget would be reported as
  // naming an unknown component, burying the one real problem (the syntax error) among false ones.
  const evaluated = !registry || evaluation.standard !== undefined;
  if (evaluated) problems.push(...checkDashboards((await collectBundle(projectDir)).dashboards, metas));
  if (problems.length)
    return { ok: false, problems: [...problems, ...(await types)].sort(byPlace), ms: ms() };

  try {
    const built = await buildStaged(outDir, Date.now(), async (staging) => {
      const result = await bundleComponents(projectDir, evaluation.components, staging);
      const all = [...('problems' in result ? result.problems : []), ...(await types)];
      if (all.length || 'problems' in result) throw new BuildFailed(all);
      return result;
    });
    return { ok: true, outDir, manifest: built.manifest, files: built.files, ms: ms() };
  } catch (err) {
    if (err instanceof BuildFailed) return { ok: false, problems: err.problems.sort(byPlace), ms: ms() };
    throw err;
  }
}
