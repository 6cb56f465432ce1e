import type { Annotation, Filter, FilterOperator, ResultValue, TimeDimension } from './query.js';

/**
 * The shapes the experience plane shares: the dashboard document (stored, served to embeds,
 * edited by the builder), a component's meta, and the data a component asks for and receives.
 * Types only (no zod): the browser runtime imports them without shipping a validator; the
 * server's schema (`dashboard.ts`) is checked against them.
 */

/** Every input type of a component meta (Embeddable's names). */
export const INPUT_TYPES = [
  'string',
  'number',
  'boolean',
  'time',
  'timeRange',
  'granularity',
  'filters',
  'dataset',
  'dimension',
  'measure',
  'dimensionOrMeasure',
] as const;
export type InputType = (typeof INPUT_TYPES)[number];

export type ValueType = 'VALUE' | 'VARIABLE';

/** `{from, to}` (ISO dates, `to` a whole inclusive day) or a relative range such as "last 30 days". */
export type TimeRangeValue = { from: string; to: string } | { relativeTimeString: string };

export interface DashboardVariable {
  name: string;
  type: InputType | string;
  array?: boolean;
  /** Absent, or `null`: no value, so filters bound to the variable drop (all time, every value). */
  defaultValue?: unknown;
}

export interface DatasetFilter {
  member: string;
  operator: FilterOperator;
  /** With `VARIABLE`, the variable's name; with `VALUE`, the value (or list of values). */
  value: unknown;
  valueType: ValueType;
}

export interface DashboardDataset {
  name: string;
  /** The cube or view the dataset reads. */
  model: string;
  filters?: DatasetFilter[];
}

export interface WidgetInput {
  input: string;
  inputType?: InputType | string;
  valueType: ValueType;
  /** With `VARIABLE`, the variable's name. A dataset input's value is the dataset's name. */
  value: unknown;
  array?: boolean;
  config?: {
    /** For dimension/measure inputs: the name of the widget's dataset input they belong to. */
    dataset?: string;
    /** Sub-inputs, e.g. `granularity: week` on a time dimension. */
    inputs?: { input: string; valueType: ValueType; value: unknown }[];
  };
}

export interface WidgetEvent {
  /** The component's event name, e.g. `onChange`. */
  event: string;
  action: 'SET_VARIABLE' | 'DRILLDOWN';
  config: {
    variable?: string;
    sourceType?: 'EVENT_PROPERTY';
    /** The event property whose value the variable takes, e.g. `value`. */
    sourceValue?: string;
    /** DRILLDOWN: the dashboard to open and the variables passed to it. */
    dashboard?: string;
    variables?: Record<string, string>;
  };
}

export interface DashboardWidget {
  /** Stable within the dashboard (`<inlay-component widget-id>` names it). */
  id: string;
  component: string;
  /** On a 12-column grid; `y` in grid rows. */
  position: { x: number; y: number };
  dimensions: { width: number; height: number };
  inputs: WidgetInput[];
  events?: WidgetEvent[];
}

/** What is stored, downloaded as `*.embeddable.yml` (under `embeddables:`) and served to embeds. */
export interface DashboardDocument {
  id: string;
  name: string;
  title?: string;
  description?: string;
  /** `vN`, or a dashboard-as-code file's version label. */
  version: string;
  variables: DashboardVariable[];
  datasets: DashboardDataset[];
  widgets: DashboardWidget[];
}

// ---- Components ---------------------------------------------------------------------------

export interface ComponentInputMeta {
  name: string;
  type: InputType | string;
  label: string;
  description?: string;
  defaultValue?: unknown;
  required?: boolean;
  array?: boolean;
  category?: string;
  config?: { dataset?: string; supportedTypes?: readonly string[] };
  inputs?: readonly ComponentInputMeta[];
}

export interface ComponentEventMeta {
  name: string;
  label: string;
  properties?: readonly { name: string; type: InputType | string; label?: string; array?: boolean }[];
}

export interface ComponentMeta {
  name: string;
  label: string;
  description?: string;
  category?: string;
  defaultWidth?: number;
  defaultHeight?: number;
  inputs: readonly ComponentInputMeta[];
  events?: readonly ComponentEventMeta[];
  variables?: readonly { name: string; type: InputType | string; defaultValue?: unknown; array?: boolean }[];
}

/** The dataset a widget's dataset input resolves to: its model and filters with variables applied. */
export interface DatasetRef {
  datasetName: string;
  model: string;
  /** Filters with every variable substituted; a filter whose variable has no value is dropped. */
  filters: Filter[];
  /** Date ranges from `inDateRange` filters bound to timeRange variables, applied as time dimensions. */
  timeRanges: { dimension: string; dateRange: string | [string, string] }[];
}

/** A dimension or measure input's value as a component receives it. */
export interface MemberRef {
  name: string;
  title?: string;
  /** Sub-input values, e.g. `{granularity: 'week'}`. */
  inputs?: Record<string, unknown>;
}

/** What `loadData(...)` returns: a description of a query, run by the runtime (never by the component). */
export interface LoadDataRequest {
  readonly __inlayLoadData: true;
  from: DatasetRef;
  select?: (MemberRef | string)[];
  dimensions?: (MemberRef | string)[];
  measures?: (MemberRef | string)[];
  timeDimensions?: (Pick<TimeDimension, 'dimension' | 'granularity'> & {
    dateRange?: TimeDimension['dateRange'];
  })[];
  filters?: Filter[];
  orderBy?: { property: MemberRef | string; direction: 'asc' | 'desc' }[];
  /** Default 100, as Embeddable. */
  limit?: number;
  offset?: number;
  timezone?: string;
  countRows?: boolean;
}

/** What a component's prop that held a `loadData(...)` receives. */
export interface DataResponse {
  isLoading: boolean;
  data?: Record<string, ResultValue>[];
  annotation?: Annotation;
  error?: string;
  total?: number;
}

/** The host's client context: read by components and by number and date formatting. */
export interface ClientContext {
  locale?: string;
  timezone?: string;
  theme?: 'light' | 'dark' | { mode?: 'light' | 'dark'; [variable: string]: unknown };
  [key: string]: unknown;
}

/** `[state, setState]`: per-widget state a component keeps across re-renders (`useEmbeddableState`). */
export type WidgetState = [unknown, (next: unknown) => void];

/**
 * What `defineComponent(Component, meta, config)` returns and a component module exports as
 * `default`. `Component` is a React function component; in embeds it runs on `preact/compat`.
 */
export interface ComponentDefinition {
  meta: ComponentMeta;
  // biome-ignore lint/suspicious/noExplicitAny: any React component, typed by its author's meta
  Component: (props: any) => unknown;
  /** CSS the component needs, adopted into each embed's shadow root once (never into the host page). */
  styles?: string;
  config: {
    /** Inputs (resolved values) → the component's props; a prop may hold a `loadData(...)`. */
    props?: (
      inputs: Record<string, unknown>,
      state: WidgetState,
      clientContext: ClientContext,
    ) => Record<string, unknown>;
    /** Component callback prop → event name's properties, e.g. `onChange: (v) => ({value: v})`. */
    // biome-ignore lint/suspicious/noExplicitAny: callback arguments are the component's own
    events?: Record<string, (...args: any[]) => Record<string, unknown>>;
  };
}

/**
 * Set on an element whose drawing is still under way after its data arrived (a chart waiting for
 * its library): the runtime's `dataLoad` waits until no element in a widget carries it (5 s at
 * most), so "every widget has rendered its data" includes the pictures.
 */
export const RENDER_PENDING_ATTRIBUTE = 'data-inlay-pending';
