import type { DashboardDocument, DashboardWidget, WidgetInput } from './dashboard-types.js';

/**
 * The checks a dashboard document's schema cannot express field by field: every name it refers
 * to exists (variables, datasets, a widget's dataset input, the cubes its members belong to), ids
 * are unique and widgets fit the 12-column grid. Each problem has a path into the document and a
 * message saying what is wrong and how to fix it.
 */

export type DocPath = (string | number)[];
/** Maps a path of the full document to the place it was written (the short form differs). */
export type PathOf = (path: DocPath) => DocPath;

export interface DashboardIssue {
  path: DocPath;
  message: string;
}

const MEMBER_INPUT_TYPES = new Set(['dimension', 'measure', 'dimensionOrMeasure']);
const COLUMNS = 12;

const quoted = (names: Iterable<string>) =>
  [...names]
    .sort()
    .map((n) => `'${n}'`)
    .join(', ') || 'none';

function duplicates(names: string[], path: (i: number) => DocPath, what: string): DashboardIssue[] {
  const seen = new Set<string>();
  const out: DashboardIssue[] = [];
  names.forEach((n, i) => {
    if (seen.has(n)) out.push({ path: path(i), message: `${what} '${n}' is declared twice; rename one.` });
    seen.add(n);
  });
  return out;
}

interface Scope {
  variables: Set<string>;
  datasets: Set<string>;
  models: Set<string>;
}

function variableRef(scope: Scope, name: unknown, path: DocPath): DashboardIssue[] {
  if (typeof name === 'string' && scope.variables.has(name)) return [];
  return [
    {
      path,
      message: `variable ${JSON.stringify(name)} is not declared; declare it under 'variables' or use one of: ${quoted(scope.variables)}.`,
    },
  ];
}

/** A member's cube must be one a dataset reads: a token for the dashboard may query nothing else. */
function memberRef(scope: Scope, member: unknown, path: DocPath): DashboardIssue[] {
  if (typeof member !== 'string' || !/^[A-Za-z_]\w*\.[A-Za-z_]\w*$/.test(member)) {
    return [{ path, message: `${JSON.stringify(member)} is not a member name; write cube.member.` }];
  }
  const cube = member.split('.')[0]!;
  if (scope.models.has(cube)) return [];
  return [
    {
      path,
      message: `'${member}' belongs to '${cube}', which no dataset reads (they read ${quoted(scope.models)}); add a dataset with model '${cube}' or pick another member.`,
    },
  ];
}

function inputIssues(scope: Scope, w: DashboardWidget, input: WidgetInput, at: DocPath): DashboardIssue[] {
  const out: DashboardIssue[] = [];
  if (input.valueType === 'VARIABLE') out.push(...variableRef(scope, input.value, [...at, 'value']));
  else if (input.inputType === 'dataset' && !scope.datasets.has(input.value as string)) {
    out.push({
      path: [...at, 'value'],
      message: `dataset ${JSON.stringify(input.value)} is not declared; declare it under 'datasets' or use one of: ${quoted(scope.datasets)}.`,
    });
  } else if (input.inputType && MEMBER_INPUT_TYPES.has(input.inputType)) {
    const values = Array.isArray(input.value) ? input.value : [input.value];
    const many = Array.isArray(input.value);
    out.push(...values.flatMap((m, k) => memberRef(scope, m, many ? [...at, 'value', k] : [...at, 'value'])));
  }
  const ds = input.config?.dataset;
  if (ds !== undefined && !w.inputs.some((other) => other.input === ds && other.inputType === 'dataset')) {
    const names = w.inputs.filter((o) => o.inputType === 'dataset').map((o) => o.input);
    out.push({
      path: [...at, 'config', 'dataset'],
      message: `config.dataset '${ds}' names no dataset input of widget '${w.id}'; use one of: ${quoted(names)}.`,
    });
  }
  input.config?.inputs?.forEach((sub, k) => {
    if (sub.valueType === 'VARIABLE') {
      out.push(...variableRef(scope, sub.value, [...at, 'config', 'inputs', k, 'value']));
    }
  });
  return out;
}

function widgetIssues(scope: Scope, w: DashboardWidget, i: number): DashboardIssue[] {
  const at: DocPath = ['widgets', i];
  const out: DashboardIssue[] = [];
  if (w.position.x + w.dimensions.width > COLUMNS) {
    out.push({
      path: [...at, 'dimensions', 'width'],
      message: `widget '${w.id}' spans columns ${w.position.x}–${w.position.x + w.dimensions.width - 1}, past the ${COLUMNS}-column grid; make x + width at most ${COLUMNS}.`,
    });
  }
  out.push(
    ...duplicates(
      w.inputs.map((x) => x.input),
      (k) => [...at, 'inputs', k, 'input'],
      `input`,
    ),
  );
  out.push(...w.inputs.flatMap((input, k) => inputIssues(scope, w, input, [...at, 'inputs', k])));
  w.events?.forEach((e, k) => {
    if (e.action === 'DRILLDOWN') {
      // Which dashboard it opens is checked where dashboards are known (`drilldownIssues`).
      if (!e.config.dashboard) {
        out.push({
          path: [...at, 'events', k, 'config', 'dashboard'],
          message: 'DRILLDOWN needs config.dashboard: the id or name of the dashboard to open.',
        });
      }
      return;
    }
    const path = [...at, 'events', k, 'config', 'variable'];
    if (e.config.variable === undefined) {
      out.push({ path, message: 'SET_VARIABLE needs config.variable: the variable the event sets.' });
    } else out.push(...variableRef(scope, e.config.variable, path));
  });
  return out;
}

/** Every reference problem of a full document (empty when it is sound). */
export function dashboardIssues(doc: DashboardDocument): DashboardIssue[] {
  const scope: Scope = {
    variables: new Set(doc.variables.map((v) => v.name)),
    datasets: new Set(doc.datasets.map((d) => d.name)),
    models: new Set(doc.datasets.map((d) => d.model)),
  };
  const out: DashboardIssue[] = [
    ...duplicates(
      doc.variables.map((v) => v.name),
      (i) => ['variables', i, 'name'],
      'variable',
    ),
    ...duplicates(
      doc.datasets.map((d) => d.name),
      (i) => ['datasets', i, 'name'],
      'dataset',
    ),
    ...duplicates(
      doc.widgets.map((w) => w.id),
      (i) => ['widgets', i, 'id'],
      'widget id',
    ),
  ];
  doc.datasets.forEach((d, i) => {
    d.filters?.forEach((f, k) => {
      const at = ['datasets', i, 'filters', k];
      out.push(...memberRef(scope, f.member, [...at, 'member']));
      if (f.valueType === 'VARIABLE') out.push(...variableRef(scope, f.value, [...at, 'value']));
    });
  });
  out.push(...doc.widgets.flatMap((w, i) => widgetIssues(scope, w, i)));
  return out;
}

/** Every member a document names (dataset filters, member inputs with literal values), with its path. */
export function documentMembers(doc: DashboardDocument): { member: string; path: DocPath }[] {
  const out: { member: string; path: DocPath }[] = [];
  doc.datasets.forEach((d, i) => {
    d.filters?.forEach((f, k) => {
      out.push({ member: f.member, path: ['datasets', i, 'filters', k, 'member'] });
    });
  });
  doc.widgets.forEach((w, i) => {
    w.inputs.forEach((input, k) => {
      if (input.valueType !== 'VALUE' || !input.inputType || !MEMBER_INPUT_TYPES.has(input.inputType)) return;
      const at: DocPath = ['widgets', i, 'inputs', k, 'value'];
      if (Array.isArray(input.value)) {
        input.value.forEach((m, j) => {
          if (typeof m === 'string') out.push({ member: m, path: [...at, j] });
        });
      } else if (typeof input.value === 'string') out.push({ member: input.value, path: at });
    });
  });
  return out;
}

/** The dashboards a document's DRILLDOWN events open, as written (an id or a name). */
export function drilldownTargets(doc: Pick<DashboardDocument, 'widgets'>): Set<string> {
  const out = new Set<string>();
  for (const w of doc.widgets) {
    for (const e of w.events ?? [])
      if (e.action === 'DRILLDOWN' && e.config.dashboard) out.add(e.config.dashboard);
  }
  return out;
}

/** What a DRILLDOWN target is, as far as the checks need: its name and declared variables. */
export interface DrilldownTarget {
  name: string;
  variables: readonly string[];
  /** Set when the target exists but cannot be opened (e.g. not published): reported as it is. */
  problem?: string;
}

/**
 * DRILLDOWN events whose target dashboard does not exist (`targetOf` answers undefined) or that
 * pass a variable the target does not declare. Checked when a version is saved or published, so
 * a broken link is refused there instead of failing in a customer's browser.
 */
export function drilldownIssues(
  doc: Pick<DashboardDocument, 'widgets'>,
  targetOf: (idOrName: string) => DrilldownTarget | undefined,
  known: readonly string[] = [],
): DashboardIssue[] {
  const out: DashboardIssue[] = [];
  doc.widgets.forEach((w, i) => {
    w.events?.forEach((e, k) => {
      if (e.action !== 'DRILLDOWN' || !e.config.dashboard) return;
      const at: DocPath = ['widgets', i, 'events', k, 'config'];
      const target = targetOf(e.config.dashboard);
      if (!target) {
        out.push({
          path: [...at, 'dashboard'],
          message: `widget '${w.id}' drills down to dashboard '${e.config.dashboard}', which does not exist; pick one of: ${quoted(known)}.`,
        });
        return;
      }
      if (target.problem) {
        out.push({ path: [...at, 'dashboard'], message: `widget '${w.id}': ${target.problem}` });
        return;
      }
      const declared = new Set(target.variables);
      for (const name of Object.keys(e.config.variables ?? {})) {
        if (declared.has(name)) continue;
        out.push({
          path: [...at, 'variables', name],
          message: `widget '${w.id}' passes variable '${name}' to dashboard '${target.name}', which does not declare it; use one of: ${quoted(declared)}.`,
        });
      }
    });
  });
  return out;
}
