import type {
  ComponentMeta,
  DashboardDataset,
  DashboardDocument,
  DashboardWidget,
  DatasetRef,
  Filter,
  MemberRef,
  WidgetInput,
} from '@inlay/core';

/**
 * Pure resolution of a dashboard's variables into what components receive: dataset refs with
 * filters substituted, member refs, plain values. No DOM, no fetch: unit-tested on its own.
 */

export type Variables = Record<string, unknown>;

/**
 * A value as it may arrive wrapped: Embeddable's `Value.of(x)` is `{operation: 'VALUE', value: x,
 * __embeddableVariableMeta: true}` and its `Value.noFilter()` the same with `NO_FILTER`; a
 * component ported from it, or a host copying its values, hands those over. `@inlay/sdk`'s
 * `Value.of(x)` is `x` itself. Returns the plain value (`null` for "no filter"); list items too.
 * Every place the runtime reads a variable or an input value goes through this.
 */
export function unwrapValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.some(isWrapped) ? value.map(unwrapValue) : value;
  if (!isWrapped(value)) return value;
  const v = value as { operation: string; value?: unknown };
  return v.operation === 'NO_FILTER' ? null : unwrapValue(v.value ?? null);
}

function isWrapped(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.__embeddableVariableMeta === true && typeof v.operation === 'string';
}

/**
 * "No value": the variable's filter drops. `null`/`undefined`, and the marker objects a
 * `Value.noFilter()` may return (`{__inlayNoFilter: true}`, or Embeddable's `{noFilter: true}`).
 */
export function isNoValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value !== 'object') return false;
  if (isWrapped(value)) return isNoValue(unwrapValue(value));
  const v = value as Record<string, unknown>;
  return v.__inlayNoFilter === true || v.noFilter === true;
}

/** Dashboard defaults, then the host's values (a host value of `null` clears a default). */
export function initialVariables(doc: Pick<DashboardDocument, 'variables'>, host: Variables = {}): Variables {
  const out: Variables = {};
  for (const v of doc.variables) out[v.name] = unwrapValue(v.defaultValue ?? null);
  for (const [name, value] of Object.entries(host)) out[name] = unwrapValue(value);
  return out;
}

/** `{from,to}` → `[from, to]`; `{relativeTimeString}` → the string lower-cased; else undefined. */
export function timeRangeToDateRange(value: unknown): string | [string, string] | undefined {
  if (isNoValue(value)) return undefined;
  if (typeof value === 'string') return value.toLowerCase();
  if (Array.isArray(value) && value.length === 2) return [String(value[0]), String(value[1])];
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.relativeTimeString === 'string') return v.relativeTimeString.toLowerCase();
    if (typeof v.from === 'string' && typeof v.to === 'string') return [v.from, v.to];
  }
  return undefined;
}

const filterValues = (value: unknown): (string | number | boolean)[] =>
  (Array.isArray(value) ? value : [value]).filter(
    (v): v is string | number | boolean =>
      typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean',
  );

/** A dashboard dataset with variables substituted; a filter whose variable has no value is dropped. */
export function resolveDataset(dataset: DashboardDataset, variables: Variables): DatasetRef {
  const filters: Filter[] = [];
  const timeRanges: DatasetRef['timeRanges'] = [];
  for (const f of dataset.filters ?? []) {
    const value = unwrapValue(f.valueType === 'VARIABLE' ? variables[String(f.value)] : f.value);
    if (isNoValue(value)) continue;
    if (f.operator === 'inDateRange') {
      const dateRange = timeRangeToDateRange(value);
      if (dateRange !== undefined) timeRanges.push({ dimension: f.member, dateRange });
      continue;
    }
    if (f.operator === 'set' || f.operator === 'notSet') {
      filters.push({ member: f.member, operator: f.operator });
      continue;
    }
    const values = filterValues(value);
    // An empty list means "nothing chosen", as no value: the filter drops rather than matching nothing.
    if (values.length === 0) continue;
    filters.push({ member: f.member, operator: f.operator, values });
  }
  return { datasetName: dataset.name, model: dataset.model, filters, timeRanges };
}

const MEMBER_TYPES = new Set(['dimension', 'measure', 'dimensionOrMeasure']);

function memberRef(value: unknown, inputs: Record<string, unknown> | undefined): MemberRef | undefined {
  const name =
    typeof value === 'string'
      ? value
      : value && typeof value === 'object' && typeof (value as MemberRef).name === 'string'
        ? (value as MemberRef).name
        : undefined;
  if (!name) return undefined;
  const title = typeof value === 'object' ? (value as MemberRef).title : undefined;
  return { name, ...(title ? { title } : {}), ...(inputs ? { inputs } : {}) };
}

function boundValue(input: { valueType: string; value: unknown }, variables: Variables): unknown {
  return unwrapValue(input.valueType === 'VARIABLE' ? variables[String(input.value)] : input.value);
}

/** One widget input's value as the component's `props(inputs, …)` receives it. */
export function resolveInput(
  input: WidgetInput,
  type: string | undefined,
  doc: Pick<DashboardDocument, 'datasets'>,
  variables: Variables,
): unknown {
  const raw = boundValue(input, variables);
  if (type === 'dataset') {
    const dataset = doc.datasets.find((d) => d.name === raw);
    if (!dataset) throw new Error(`widget input '${input.input}' names unknown dataset '${String(raw)}'`);
    return resolveDataset(dataset, variables);
  }
  if (type && MEMBER_TYPES.has(type)) {
    // Sub-inputs (a time dimension's `granularity`) may be bound to variables too; one with no
    // value is left out, so the component's default applies.
    const sub = input.config?.inputs?.length
      ? Object.fromEntries(
          input.config.inputs
            .map((s) => [s.input, boundValue(s, variables)] as const)
            .filter(([, v]) => !isNoValue(v)),
        )
      : undefined;
    const subInputs = sub && Object.keys(sub).length > 0 ? sub : undefined;
    if (Array.isArray(raw)) return raw.map((v) => memberRef(v, subInputs)).filter((m) => m !== undefined);
    return isNoValue(raw) ? undefined : memberRef(raw, subInputs);
  }
  return isNoValue(raw) ? undefined : raw;
}

/**
 * Every input of a widget: the meta's defaults, then the widget's values. The meta's type wins
 * over the stored `inputType` (the component is the authority on what its input means).
 */
export function resolveWidgetInputs(
  widget: DashboardWidget,
  meta: Pick<ComponentMeta, 'inputs'>,
  doc: Pick<DashboardDocument, 'datasets'>,
  variables: Variables,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of meta.inputs) if (m.defaultValue !== undefined) out[m.name] = m.defaultValue;
  for (const input of widget.inputs) {
    const type = meta.inputs.find((m) => m.name === input.input)?.type ?? input.inputType;
    const value = resolveInput(input, type, doc, variables);
    if (value !== undefined) out[input.input] = value;
  }
  return out;
}
