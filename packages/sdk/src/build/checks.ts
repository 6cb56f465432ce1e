import { componentMetaSchema, dashboardFileSchema, isInlayError } from '@inlay/core';
import { type ParsedFile, parseModelFile } from '@inlay/engine';
import type { BundleFile } from '../bundle/pack.js';
import type { EvaluatedComponent } from './evaluate.js';
import { type BuildProblem, lineOfLiteral } from './problems.js';

/**
 * What `inlay build` checks beyond types and models: each component's meta (the schema, its name,
 * the names it refers to) and each dashboard as code against the components it uses — the
 * mistakes the builder or a customer's browser would otherwise find.
 */

interface InputLike {
  name?: unknown;
  type?: unknown;
  config?: { dataset?: unknown };
  inputs?: unknown;
}
interface MetaLike {
  name: string;
  inputs: InputLike[];
}

const quoted = (names: Iterable<string>) =>
  [...names]
    .sort()
    .map((n) => `'${n}'`)
    .join(', ') || 'none';

/** Where a problem with a meta value is: the first of the component's sources holding the literal. */
function at(
  c: EvaluatedComponent,
  sources: Map<string, string>,
  literal: unknown,
): Pick<BuildProblem, 'file' | 'line'> {
  if (typeof literal === 'string') {
    for (const file of c.sources) {
      const line = lineOfLiteral(sources.get(file) ?? '', literal);
      if (line) return { file, line };
    }
  }
  return { file: c.entry };
}

/** Follows a zod issue's path into the meta, remembering the last `name` passed (an input's). */
function nameNear(meta: unknown, path: readonly PropertyKey[]): unknown {
  let node = meta as Record<PropertyKey, unknown> | undefined;
  let name: unknown;
  for (const key of path) {
    if (typeof node?.name === 'string') name = node.name;
    node = node?.[key] as Record<PropertyKey, unknown> | undefined;
    if (typeof node !== 'object' || node === null) break;
  }
  return typeof node?.name === 'string' ? node.name : name;
}

/**
 * Problems with the project's components; `standard` holds the standard library's metas (their
 * names may not be reused: the standard components always stay available in an embed).
 * `sources` maps project-relative paths to their text, for line numbers.
 */
export function checkMetas(
  components: EvaluatedComponent[],
  standard: ReadonlyMap<string, unknown>,
  sources: Map<string, string>,
): BuildProblem[] {
  const problems: BuildProblem[] = [];
  const seen = new Map<string, string>();
  for (const c of components) {
    const parsed = componentMetaSchema.safeParse(c.meta);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.map(String).join('.');
        problems.push({
          ...at(c, sources, nameNear(c.meta, issue.path)),
          message: `${c.name}: meta${path ? `.${path}` : ''}: ${issue.message}`,
        });
      }
      continue;
    }
    const meta = parsed.data as MetaLike;
    const where = at(c, sources, meta.name);
    if (meta.name !== c.name) {
      problems.push({
        ...where,
        message: `meta.name is '${meta.name}' but the file is ${c.name}: a component is named after its file (${meta.name}.tsx); rename one.`,
      });
    }
    if (standard.has(meta.name)) {
      problems.push({
        ...where,
        message: `'${meta.name}' is a standard component's name; the standard library stays available in every embed, so rename this one.`,
      });
    }
    const other = seen.get(meta.name);
    if (other)
      problems.push({
        ...where,
        message: `component '${meta.name}' is also defined in ${other}; rename one.`,
      });
    seen.set(meta.name, c.entry);
    problems.push(...inputProblems(c, meta, sources));
  }
  return problems;
}

/** Input names unique; every `config.dataset` names one of the meta's dataset inputs. */
function inputProblems(c: EvaluatedComponent, meta: MetaLike, sources: Map<string, string>): BuildProblem[] {
  const problems: BuildProblem[] = [];
  const datasets = new Set(meta.inputs.filter((i) => i.type === 'dataset').map((i) => String(i.name)));
  const visit = (inputs: InputLike[], owner: string) => {
    const names = new Set<string>();
    for (const input of inputs) {
      const name = String(input.name);
      if (names.has(name)) {
        problems.push({
          ...at(c, sources, name),
          message: `${owner}: input '${name}' is declared twice; rename one.`,
        });
      }
      names.add(name);
      const dataset = input.config?.dataset;
      if (dataset !== undefined && !datasets.has(String(dataset))) {
        problems.push({
          ...at(c, sources, dataset),
          message: `${owner}: input '${name}' has config.dataset '${String(dataset)}', which names no dataset input; dataset inputs: ${quoted(datasets)}.`,
        });
      }
      if (Array.isArray(input.inputs)) visit(input.inputs as InputLike[], `${owner} input '${name}'`);
    }
  };
  visit(meta.inputs, c.name);
  return problems;
}

/**
 * Each `*.embeddable.yml`: the document schema (all problems, not only the first), then every
 * widget's component must exist (`metas`: the standard library's and the project's) and every
 * input it sets must be one that component declares.
 */
export function checkDashboards(files: BundleFile[], metas: ReadonlyMap<string, unknown>): BuildProblem[] {
  const problems: BuildProblem[] = [];
  for (const f of files) {
    let file: ParsedFile;
    try {
      file = parseModelFile({ path: f.path, content: f.content });
    } catch (err) {
      if (!isInlayError(err)) throw err;
      problems.push({
        file: f.path,
        ...(err.where?.line ? { line: err.where.line } : {}),
        message: err.message,
      });
      continue;
    }
    const parsed = dashboardFileSchema.safeParse(file.data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const parts = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
        const line = file.lineOf(parts);
        problems.push({
          file: f.path,
          ...(line ? { line } : {}),
          message: `${parts.join('.') || 'document'}: ${issue.message}`,
        });
      }
      continue;
    }
    problems.push(...widgetProblems(file, parsed.data.embeddables, metas));
  }
  return problems;
}

function widgetProblems(
  file: ParsedFile,
  dashboards: { name: string; widgets: { id: string; component: string; inputs: { input: string }[] }[] }[],
  metas: ReadonlyMap<string, unknown>,
): BuildProblem[] {
  const problems: BuildProblem[] = [];
  const raw = file.data as { embeddables: { widgets?: { inputs?: unknown }[] }[] };
  dashboards.forEach((d, i) => {
    d.widgets.forEach((w, j) => {
      const widgetPath = ['embeddables', i, 'widgets', j];
      const problem = (parts: (string | number)[], message: string) => {
        const line = file.lineOf([...widgetPath, ...parts]) ?? file.lineOf(widgetPath);
        problems.push({
          file: file.path,
          ...(line ? { line } : {}),
          message: `dashboard '${d.name}' widget '${w.id}': ${message}`,
        });
      };
      const meta = metas.get(w.component) as MetaLike | undefined;
      if (!meta) {
        problem(
          ['component'],
          `unknown component '${w.component}'; the standard components and this project's are: ${quoted(metas.keys())}.`,
        );
        return;
      }
      const declared = new Set(meta.inputs.map((input) => String(input.name)));
      const written = raw.embeddables[i]?.widgets?.[j]?.inputs;
      w.inputs.forEach((input, k) => {
        if (declared.has(input.input)) return;
        // The short form (`inputs: {measures: …}`) has no list position: point at the inputs.
        const parts = Array.isArray(written) ? ['inputs', k, 'input'] : ['inputs'];
        problem(parts, `${w.component} has no input '${input.input}'; its inputs: ${quoted(declared)}.`);
      });
    });
  });
  return problems;
}
