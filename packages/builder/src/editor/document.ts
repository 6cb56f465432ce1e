import type {
  ComponentMeta,
  DashboardDataset,
  DashboardDocument,
  DashboardVariable,
  DashboardWidget,
  DatasetFilter,
  WidgetEvent,
  WidgetInput,
} from '@inlay/core';

/**
 * Every change the editor makes to a dashboard, as pure functions from one document to the next
 * (never mutating): the history keeps the old ones for undo, and the autosave sends the new one.
 * A change that would break a reference (removing a dataset or variable still in use) throws an
 * `EditError` that says where it is used, instead of leaving a document the server refuses.
 */
export type Draft = Omit<DashboardDocument, 'version'>;

export const GRID_COLUMNS = 12;

export class EditError extends Error {}

/** `base`, or `base-2`, `base-3`… : the first not in `taken`. */
export function uniqueName(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** `KpiCard` → `kpi-card`. */
const kebab = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .toLowerCase()
    .replace(/^-|-$/g, '') || 'widget';

/** The row under every widget: where a new one goes when no place is given. */
export function bottom(doc: Draft): number {
  return Math.max(0, ...doc.widgets.map((w) => w.position.y + w.dimensions.height));
}

/**
 * Places a component: its default size, at `place` or under everything, its inputs' defaults set,
 * and its dataset input bound when the dashboard has exactly one dataset.
 */
export function addWidget(
  doc: Draft,
  meta: ComponentMeta,
  place?: { x: number; y: number },
): { doc: Draft; id: string } {
  const id = uniqueName(
    kebab(meta.name),
    doc.widgets.map((w) => w.id),
  );
  const width = Math.min(GRID_COLUMNS, Math.max(1, meta.defaultWidth ?? 4));
  const height = Math.max(1, meta.defaultHeight ?? 3);
  const x = Math.min(Math.max(0, place?.x ?? 0), GRID_COLUMNS - width);
  const inputs: WidgetInput[] = [];
  for (const input of meta.inputs) {
    if (input.type === 'dataset' && doc.datasets.length === 1) {
      inputs.push({
        input: input.name,
        inputType: 'dataset',
        valueType: 'VALUE',
        value: doc.datasets[0]!.name,
      });
    } else if (input.defaultValue !== undefined && input.type !== 'dataset') {
      inputs.push({
        input: input.name,
        inputType: input.type,
        valueType: 'VALUE',
        value: input.defaultValue,
      });
    }
  }
  const widget: DashboardWidget = {
    id,
    component: meta.name,
    position: { x, y: place?.y ?? bottom(doc) },
    dimensions: { width, height },
    inputs,
  };
  return { doc: { ...doc, widgets: [...doc.widgets, widget] }, id };
}

/** Sets the dashboard's title; an empty one removes it. */
export function setTitle(doc: Draft, title: string): Draft {
  const trimmed = title.trim();
  if ((doc.title ?? '') === trimmed) return doc;
  const { title: _old, ...rest } = doc;
  return trimmed ? { ...rest, title: trimmed } : rest;
}

/** What the canvas calls a widget: its `title` input when it has a plain one, else its id. */
export function widgetLabel(w: DashboardWidget): string {
  const title = w.inputs.find((i) => i.input === 'title' && i.valueType === 'VALUE')?.value;
  return typeof title === 'string' && title.trim() ? title.trim() : w.id;
}

/** Points one event of a widget at a variable (SET_VARIABLE from the event's property), or clears it. */
export function setEventVariable(
  doc: Draft,
  widgetId: string,
  event: string,
  variable: string | undefined,
  sourceValue: string | undefined,
): Draft {
  const w = doc.widgets.find((x) => x.id === widgetId);
  if (!w) throw new EditError(`no widget '${widgetId}'`);
  const others = (w.events ?? []).filter((e) => e.event !== event);
  if (!variable) return setEvents(doc, widgetId, others);
  const config: WidgetEvent['config'] = { variable, sourceType: 'EVENT_PROPERTY' };
  if (sourceValue) config.sourceValue = sourceValue;
  return setEvents(doc, widgetId, [...others, { event, action: 'SET_VARIABLE', config }]);
}

export function removeWidget(doc: Draft, id: string): Draft {
  return { ...doc, widgets: doc.widgets.filter((w) => w.id !== id) };
}

export interface LayoutItem {
  i: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The grid's layout after a drag or a resize; the same document when nothing moved. */
export function applyLayout(doc: Draft, layout: readonly LayoutItem[]): Draft {
  const by = new Map(layout.map((l) => [l.i, l]));
  let changed = false;
  const widgets = doc.widgets.map((w) => {
    const l = by.get(w.id);
    if (!l) return w;
    if (
      l.x === w.position.x &&
      l.y === w.position.y &&
      l.w === w.dimensions.width &&
      l.h === w.dimensions.height
    ) {
      return w;
    }
    changed = true;
    return { ...w, position: { x: l.x, y: l.y }, dimensions: { width: l.w, height: l.h } };
  });
  return changed ? { ...doc, widgets } : doc;
}

export function layoutOf(doc: Draft): LayoutItem[] {
  return doc.widgets.map((w) => ({
    i: w.id,
    x: w.position.x,
    y: w.position.y,
    w: w.dimensions.width,
    h: w.dimensions.height,
  }));
}

function updateWidget(doc: Draft, id: string, change: (w: DashboardWidget) => DashboardWidget): Draft {
  if (!doc.widgets.some((w) => w.id === id)) throw new EditError(`no widget '${id}'`);
  return { ...doc, widgets: doc.widgets.map((w) => (w.id === id ? change(w) : w)) };
}

/** Sets (or, with `undefined`, clears) one input of a widget. */
export function setInput(
  doc: Draft,
  widgetId: string,
  name: string,
  input: Omit<WidgetInput, 'input'> | undefined,
): Draft {
  return updateWidget(doc, widgetId, (w) => {
    const rest = w.inputs.filter((i) => i.input !== name);
    return { ...w, inputs: input ? [...rest, { input: name, ...input }] : rest };
  });
}

export function setEvents(doc: Draft, widgetId: string, events: WidgetEvent[]): Draft {
  return updateWidget(doc, widgetId, (w) => {
    const { events: _old, ...rest } = w;
    return events.length > 0 ? { ...rest, events } : rest;
  });
}

/** Where a dataset or a variable is used, as a person would read it. */
export function usesOf(doc: Draft, what: { dataset: string } | { variable: string }): string[] {
  const uses: string[] = [];
  if ('dataset' in what) {
    for (const w of doc.widgets) {
      for (const i of w.inputs) {
        if (i.inputType === 'dataset' && i.valueType === 'VALUE' && i.value === what.dataset)
          uses.push(`widget ${w.id}`);
      }
    }
    return uses;
  }
  for (const d of doc.datasets) {
    if (d.filters?.some((f) => f.valueType === 'VARIABLE' && f.value === what.variable))
      uses.push(`dataset ${d.name}`);
  }
  for (const w of doc.widgets) {
    const bound =
      w.inputs.some(
        (i) =>
          (i.valueType === 'VARIABLE' && i.value === what.variable) ||
          i.config?.inputs?.some((s) => s.valueType === 'VARIABLE' && s.value === what.variable),
      ) || w.events?.some((e) => e.config.variable === what.variable);
    if (bound) uses.push(`widget ${w.id}`);
  }
  return uses;
}

export function addDataset(doc: Draft, dataset: DashboardDataset): Draft {
  if (doc.datasets.some((d) => d.name === dataset.name))
    throw new EditError(`a dataset named '${dataset.name}' exists`);
  return { ...doc, datasets: [...doc.datasets, dataset] };
}

/**
 * Members from a cube no dataset reads (a joined cube: the origin airport's state for flights)
 * need a dataset for that cube — the server refuses a document without one, and a token may
 * read only the datasets' models. Adds one per missing cube, named after it.
 */
export function ensureDatasetsFor(doc: Draft, members: readonly string[]): Draft {
  let next = doc;
  for (const member of members) {
    const cube = member.split('.')[0];
    if (!cube || !member.includes('.') || next.datasets.some((d) => d.model === cube)) continue;
    const taken = new Set(next.datasets.map((d) => d.name));
    let name = cube;
    for (let n = 2; taken.has(name); n++) name = `${cube}_${n}`;
    next = addDataset(next, { name, model: cube });
  }
  return next;
}

export function removeDataset(doc: Draft, name: string): Draft {
  const uses = usesOf(doc, { dataset: name });
  if (uses.length > 0) throw new EditError(`dataset '${name}' is used by ${uses.join(', ')}`);
  return { ...doc, datasets: doc.datasets.filter((d) => d.name !== name) };
}

export function setDatasetFilters(doc: Draft, name: string, filters: DatasetFilter[]): Draft {
  if (!doc.datasets.some((d) => d.name === name)) throw new EditError(`no dataset '${name}'`);
  return {
    ...doc,
    datasets: doc.datasets.map((d) => {
      if (d.name !== name) return d;
      const { filters: _old, ...rest } = d;
      return filters.length > 0 ? { ...rest, filters } : rest;
    }),
  };
}

export function addVariable(doc: Draft, variable: DashboardVariable): Draft {
  if (doc.variables.some((v) => v.name === variable.name))
    throw new EditError(`a variable named '${variable.name}' exists`);
  return { ...doc, variables: [...doc.variables, variable] };
}

/** Changes a variable's default (or type) in place; its name stays, so its bindings hold. */
export function updateVariable(
  doc: Draft,
  name: string,
  patch: Partial<Omit<DashboardVariable, 'name'>>,
): Draft {
  if (!doc.variables.some((v) => v.name === name)) throw new EditError(`no variable '${name}'`);
  // A key patched to undefined goes (no default), rather than staying as an undefined value.
  const merged = (v: DashboardVariable) =>
    Object.fromEntries(
      Object.entries({ ...v, ...patch }).filter(([, x]) => x !== undefined),
    ) as unknown as DashboardVariable;
  return { ...doc, variables: doc.variables.map((v) => (v.name === name ? merged(v) : v)) };
}

export function removeVariable(doc: Draft, name: string): Draft {
  const uses = usesOf(doc, { variable: name });
  if (uses.length > 0) throw new EditError(`variable '${name}' is used by ${uses.join(', ')}`);
  return { ...doc, variables: doc.variables.filter((v) => v.name !== name) };
}
