import { z } from 'zod';
import { dashboardIssues, type PathOf } from './dashboard-checks.js';
import type { DashboardDocument, DashboardWidget, WidgetInput } from './dashboard-types.js';
import { FILTER_OPERATORS, memberNameSchema, timeDimensionSchema } from './query.js';

/**
 * The dashboard document's schemas (zod). Two of them:
 * - `dashboardDocumentSchema`: the full shape exactly as stored, downloaded and served to embeds
 *   (Embeddable's dashboards-as-code shape plus a widget `id`); no defaults, no transforms, so it
 *   documents API answers too.
 * - `dashboardSchema`: what a `*.embeddable.yml` entry or a saved version may say. Also takes the
 *   short form (a widget's `dataset` plus `inputs: {measures, dimensions, timeDimensions, …}`),
 *   fills in widget ids, positions and defaults, checks every reference (variables, datasets,
 *   members, positions) and answers the full document.
 */

export const GRID_COLUMNS = 12;
/** Where widgets without a position go: a row-major flow of this size. */
const DEFAULT_SIZE = { width: 6, height: 4 };

const slug = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must be letters, digits, _ and - (starting with a letter or digit)');
const label = z.string().min(1).max(200);
const valueType = z.enum(['VALUE', 'VARIABLE']);
// Present (null allowed), so a document always says what an input or filter holds.
const anyValue = z.unknown().nonoptional();
const gridInt = (min: number) => z.number().int().min(min).max(10_000);

export const dashboardVariableSchema = z.strictObject({
  name: label,
  type: label.describe('An input type (`timeRange`, `string`, …) or a custom type.'),
  array: z.boolean().optional(),
  defaultValue: z.unknown().optional().describe('Absent or null: no value, so bound filters drop.'),
});

export const datasetFilterSchema = z.strictObject({
  member: memberNameSchema,
  operator: z.enum(FILTER_OPERATORS),
  value: anyValue.describe("VARIABLE: the variable's name; VALUE: the value or list of values."),
  valueType,
});

export const dashboardDatasetSchema = z.strictObject({
  name: label,
  model: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a cube or view name (letters, digits, _)')
    .describe('The cube or view the dataset reads.'),
  filters: z.array(datasetFilterSchema).max(100).optional(),
});

const subInputSchema = z.strictObject({ input: label, valueType, value: anyValue });

export const widgetInputSchema = z.strictObject({
  input: label,
  inputType: label.optional(),
  valueType,
  value: anyValue,
  array: z.boolean().optional(),
  config: z
    .strictObject({
      dataset: label.optional().describe("The widget's dataset input a member input belongs to."),
      inputs: z.array(subInputSchema).max(50).optional(),
    })
    .optional(),
});

export const widgetEventSchema = z.strictObject({
  event: label,
  action: z.enum(['SET_VARIABLE', 'DRILLDOWN']),
  config: z.strictObject({
    variable: label.optional(),
    sourceType: z.literal('EVENT_PROPERTY').optional(),
    sourceValue: label.optional(),
    dashboard: label.optional(),
    variables: z.record(z.string(), z.string()).optional(),
  }),
});

const position = z.strictObject({ x: gridInt(0), y: gridInt(0) });
const dimensions = z.strictObject({ width: gridInt(1), height: gridInt(1) });
const component = z.string().min(1).max(200);

export const dashboardWidgetSchema = z.strictObject({
  id: slug,
  component,
  position,
  dimensions,
  inputs: z.array(widgetInputSchema).max(200),
  events: z.array(widgetEventSchema).max(50).optional(),
});

/** The stored and served shape; `GET /api/v1/embed/dashboard` answers it. */
export const dashboardDocumentSchema = z
  .strictObject({
    id: slug,
    name: slug,
    title: z.string().max(200).optional(),
    description: z.string().max(2000).optional(),
    version: slug,
    variables: z.array(dashboardVariableSchema).max(200),
    datasets: z.array(dashboardDatasetSchema).max(200),
    widgets: z.array(dashboardWidgetSchema).max(500),
  })
  .meta({ id: 'DashboardDocument' });

// ---- Accepted on input --------------------------------------------------------------------

/** The short form's inputs: member lists plus any literal input (`title: Flights`). */
const shortInputsSchema = z
  .strictObject({
    measures: z.array(memberNameSchema).optional(),
    dimensions: z.array(memberNameSchema).optional(),
    timeDimensions: z
      .array(
        timeDimensionSchema.omit({ dateRange: true }).describe('A date range belongs in a dataset filter.'),
      )
      .max(1, 'the short form takes one time dimension')
      .optional(),
  })
  .catchall(z.unknown());

const widgetInSchema = z.strictObject({
  id: slug.optional().describe('Stable within the dashboard; made from the component name when absent.'),
  component,
  position: position.optional(),
  dimensions: dimensions.optional(),
  /** Short form: the widget's one dataset (it becomes the `ds` input). */
  dataset: label.optional(),
  inputs: z.union([z.array(widgetInputSchema).max(200), shortInputsSchema]).optional(),
  events: z.array(widgetEventSchema).max(50).optional(),
});
type WidgetIn = z.output<typeof widgetInSchema>;
type ShortInputs = z.output<typeof shortInputsSchema>;

const dashboardInSchema = z.strictObject({
  id: slug.optional().describe('Defaults to the name.'),
  name: slug,
  title: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
  version: slug.default('v1'),
  variables: z.array(dashboardVariableSchema).max(200).default([]),
  datasets: z.array(dashboardDatasetSchema).max(200).default([]),
  widgets: z.array(widgetInSchema).max(500).default([]),
});
type DashboardIn = z.output<typeof dashboardInSchema>;

/** The name of the dataset input a short-form widget gets (the standard components' name). */
export const SHORT_FORM_DATASET_INPUT = 'ds';

function literalType(value: unknown): string | undefined {
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'boolean' ? t : undefined;
}

/** `{dataset, inputs: {measures, …}}` → full inputs, each with the short-form key it came from. */
function shortInputs(dataset: string | undefined, inputs: ShortInputs): [WidgetInput, string][] {
  const ds = SHORT_FORM_DATASET_INPUT;
  const member = { config: { dataset: ds } };
  const out: [WidgetInput, string][] = [];
  if (dataset !== undefined) {
    out.push([{ input: ds, inputType: 'dataset', valueType: 'VALUE', value: dataset }, 'dataset']);
  }
  const { measures, dimensions: dims, timeDimensions, ...rest } = inputs;
  if (measures) {
    const input = { input: 'measures', inputType: 'measure', array: true, ...member };
    out.push([{ ...input, valueType: 'VALUE', value: measures }, 'inputs.measures']);
  }
  if (dims) {
    const input = { input: 'dimensions', inputType: 'dimension', array: true, ...member };
    out.push([{ ...input, valueType: 'VALUE', value: dims }, 'inputs.dimensions']);
  }
  const td = timeDimensions?.[0];
  if (td) {
    const sub = td.granularity
      ? [{ input: 'granularity', valueType: 'VALUE' as const, value: td.granularity }]
      : [];
    out.push([
      {
        input: 'timeDimension',
        inputType: 'dimension',
        valueType: 'VALUE',
        value: td.dimension,
        config: { dataset: ds, ...(sub.length ? { inputs: sub } : {}) },
      },
      'inputs.timeDimensions',
    ]);
  }
  for (const [input, value] of Object.entries(rest)) {
    const inputType = literalType(value);
    out.push([{ input, ...(inputType ? { inputType } : {}), valueType: 'VALUE', value }, `inputs.${input}`]);
  }
  return out;
}

/** `KpiCard` → `KpiCard-1`, `KpiCard-2`, …: by component and order, skipping ids given explicitly. */
function widgetIds(widgets: WidgetIn[]): string[] {
  const taken = new Set(widgets.flatMap((w) => (w.id ? [w.id] : [])));
  const counts = new Map<string, number>();
  return widgets.map((w) => {
    if (w.id) return w.id;
    const base = w.component.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[-_]+/, '') || 'widget';
    let n = counts.get(base) ?? 0;
    let id: string;
    do id = `${base}-${++n}`.slice(0, 100);
    while (taken.has(id));
    counts.set(base, n);
    taken.add(id);
    return id;
  });
}

/** Widgets without a position flow left to right below the placed ones. */
function layout(
  widgets: WidgetIn[],
): { position: DashboardWidget['position']; dimensions: DashboardWidget['dimensions'] }[] {
  let y = Math.max(
    0,
    ...widgets.flatMap((w) =>
      w.position ? [w.position.y + (w.dimensions?.height ?? DEFAULT_SIZE.height)] : [],
    ),
  );
  let x = 0;
  let rowHeight = 0;
  return widgets.map((w) => {
    const size = w.dimensions ?? DEFAULT_SIZE;
    if (w.position) return { position: w.position, dimensions: size };
    if (x > 0 && x + size.width > GRID_COLUMNS) {
      y += rowHeight;
      x = 0;
      rowHeight = 0;
    }
    const placed = { position: { x, y }, dimensions: size };
    x += size.width;
    rowHeight = Math.max(rowHeight, size.height);
    return placed;
  });
}

/** The full document, and where each of its parts came from in what was written (for errors). */
function normalise(d: DashboardIn): { doc: DashboardDocument; pathOf: PathOf } {
  const ids = widgetIds(d.widgets);
  const places = layout(d.widgets);
  const shortPaths = new Map<number, string[]>();
  const widgets = d.widgets.map((w, i): DashboardWidget => {
    let inputs: WidgetInput[];
    if (Array.isArray(w.inputs)) inputs = w.inputs;
    else if (w.inputs === undefined && w.dataset === undefined) inputs = [];
    else {
      const pairs = shortInputs(w.dataset, w.inputs ?? {});
      inputs = pairs.map(([input]) => input);
      shortPaths.set(
        i,
        pairs.map(([, from]) => from),
      );
    }
    return {
      id: ids[i]!,
      component: w.component,
      ...places[i]!,
      inputs,
      ...(w.events ? { events: w.events } : {}),
    };
  });
  const doc: DashboardDocument = {
    id: d.id ?? d.name,
    name: d.name,
    ...(d.title !== undefined ? { title: d.title } : {}),
    ...(d.description !== undefined ? { description: d.description } : {}),
    version: d.version,
    variables: d.variables,
    datasets: d.datasets,
    widgets,
  };
  // A short-form widget's input k came from `inputs.<key>` (or `dataset`): errors point there.
  const pathOf: PathOf = (path) => {
    if (path[0] !== 'widgets' || path[2] !== 'inputs' || typeof path[1] !== 'number') return path;
    const from = shortPaths.get(path[1]);
    if (!from) return path;
    const origin = from[path[3] as number];
    return origin ? ['widgets', path[1], ...origin.split('.')] : ['widgets', path[1], 'inputs'];
  };
  return { doc, pathOf };
}

/** A `*.embeddable.yml` entry or a saved version → the full document, references checked. */
export const dashboardSchema = dashboardInSchema.transform((d, ctx): DashboardDocument => {
  if (d.widgets.some((w) => w.dataset !== undefined && Array.isArray(w.inputs))) {
    d.widgets.forEach((w, i) => {
      if (w.dataset !== undefined && Array.isArray(w.inputs)) {
        ctx.addIssue({
          code: 'custom',
          path: ['widgets', i, 'dataset'],
          message: `'dataset' belongs to the short form (inputs as a map); with a list of inputs, add {input: ${SHORT_FORM_DATASET_INPUT}, inputType: dataset, valueType: VALUE, value: ${w.dataset}} instead.`,
        });
      }
    });
    return z.NEVER;
  }
  const { doc, pathOf } = normalise(d);
  for (const issue of dashboardIssues(doc)) {
    ctx.addIssue({ code: 'custom', path: pathOf(issue.path), message: issue.message });
  }
  return doc;
});
export type DashboardInput = z.input<typeof dashboardSchema>;

/** `embeddables:` at the root of a `*.embeddable.yml`. */
export const dashboardFileSchema = z.strictObject({
  embeddables: z.array(dashboardSchema).min(1),
});

/** The cubes and views a dashboard's datasets read: all a token for it may query. */
export function dashboardModels(doc: Pick<DashboardDocument, 'datasets'>): Set<string> {
  return new Set(doc.datasets.map((s) => s.model));
}

// The schemas must produce the shared types (`dashboard-types.ts`): compile errors otherwise.
type Assignable<T extends true> = T;
export type _DocumentSchemaMatchesType = Assignable<
  z.output<typeof dashboardDocumentSchema> extends DashboardDocument ? true : false
>;
export type _InputSchemaMatchesType = Assignable<
  z.output<typeof dashboardSchema> extends DashboardDocument ? true : false
>;
