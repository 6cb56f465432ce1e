import type { ComponentInputMeta, ComponentMeta, DashboardVariable } from '@inlay/core';
import { type Draft, setInput } from './document.js';

/**
 * What the inputs panel offers for one input: only what fits it. Members of the widget's
 * dataset's cube filtered by the input's kind and `supportedTypes`; variables of the same type.
 */
export interface MetaMember {
  name: string;
  title: string;
  type: string;
}

export interface MetaCube {
  name: string;
  title: string;
  measures: MetaMember[];
  dimensions: MetaMember[];
}

export interface MemberChoice extends MetaMember {
  kind: 'measure' | 'dimension';
}

export const GRANULARITIES = ['hour', 'day', 'week', 'month', 'quarter', 'year'] as const;

/** Member inputs: `measure`, `dimension`, `dimensionOrMeasure`; others offer none. */
export function memberChoices(input: ComponentInputMeta, cube: MetaCube | undefined): MemberChoice[] {
  if (!cube) return [];
  const supported = input.config?.supportedTypes;
  const fits = (m: MetaMember) => !supported || supported.length === 0 || supported.includes(m.type);
  const measures = cube.measures.filter(fits).map((m) => ({ ...m, kind: 'measure' as const }));
  const dimensions = cube.dimensions.filter(fits).map((m) => ({ ...m, kind: 'dimension' as const }));
  if (input.type === 'measure') return measures;
  if (input.type === 'dimension') return dimensions;
  if (input.type === 'dimensionOrMeasure') return [...dimensions, ...measures];
  return [];
}

/** Variables an input may be bound to: the same type, and a list only where a list is taken. */
export function variableChoices(
  doc: Draft,
  input: Pick<ComponentInputMeta, 'type' | 'array'>,
): DashboardVariable[] {
  return doc.variables.filter((v) => v.type === input.type && Boolean(v.array) === Boolean(input.array));
}

/** The cube a widget's member input reads: through the widget's dataset input it names. */
export function cubeOfInput(
  doc: Draft,
  widgetInputs: Draft['widgets'][number]['inputs'],
  datasetInput: string,
): string | undefined {
  const bound = widgetInputs.find((i) => i.input === datasetInput && i.valueType === 'VALUE');
  const dataset = doc.datasets.find((d) => d.name === bound?.value);
  return dataset?.model;
}

/**
 * Members of the other cubes (those a join may reach from the dataset's cube, e.g. the origin
 * airport's state for flights), grouped by cube, filtered like `memberChoices`.
 */
export function otherMemberChoices(
  input: ComponentInputMeta,
  cubes: readonly MetaCube[],
  except: string | undefined,
): { cube: MetaCube; members: MemberChoice[] }[] {
  return cubes
    .filter((c) => c.name !== except)
    .map((cube) => ({ cube, members: memberChoices(input, cube) }))
    .filter((g) => g.members.length > 0);
}

/**
 * A default value typed as text, as the variable's type wants it: a number, `true`/`false`, a
 * timeRange as a relative string ("last 30 days") or `from..to`; empty text is no default.
 */
export function parseDefault(type: string, text: string): { value?: unknown; error?: string } {
  const t = text.trim();
  if (!t) return {};
  if (type === 'number') {
    const n = Number(t);
    return Number.isFinite(n) ? { value: n } : { error: 'A number, such as 10 or 2.5.' };
  }
  if (type === 'boolean') {
    if (t === 'true' || t === 'false') return { value: t === 'true' };
    return { error: 'true or false.' };
  }
  if (type === 'timeRange') {
    const range = /^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$/.exec(t);
    if (range) return { value: { from: range[1], to: range[2] } };
    return { value: { relativeTimeString: t } };
  }
  return { value: t };
}

/** A value as the panels show it in a text field. */
export function valueText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') {
    if ('relativeTimeString' in value)
      return String((value as { relativeTimeString: unknown }).relativeTimeString);
    if ('from' in value && 'to' in value) {
      const { from, to } = value as { from: unknown; to: unknown };
      return `${String(from)}..${String(to)}`;
    }
    return JSON.stringify(value);
  }
  return String(value);
}

/** Keys make poor categories (a bar per row): text first, then time, then numbers, keys last. */
const looksLikeKey = (m: MetaMember) => /(^|[._])id$/i.test(m.name);
const guessRank = (m: MemberChoice) =>
  m.kind === 'measure' ? 0 : looksLikeKey(m) ? 3 : m.type === 'string' ? 0 : m.type === 'time' ? 1 : 2;
function bestGuess(choices: MemberChoice[]): MemberChoice | undefined {
  return [...choices].sort((a, b) => guessRank(a) - guessRank(b))[0];
}

/**
 * A component just added starts showing data at once: each required member input of a widget
 * whose dataset is bound gets the first member that fits it (the person changes it in the panel).
 */
export function fillRequiredMembers(
  doc: Draft,
  widgetId: string,
  meta: Pick<ComponentMeta, 'inputs'>,
  cubes: readonly MetaCube[],
): Draft {
  let next = doc;
  for (const input of meta.inputs) {
    const widget = next.widgets.find((w) => w.id === widgetId);
    if (!widget || !input.required || !input.config?.dataset) continue;
    if (widget.inputs.some((i) => i.input === input.name)) continue;
    const model = cubeOfInput(next, widget.inputs, input.config.dataset);
    const first = bestGuess(
      memberChoices(
        input,
        cubes.find((c) => c.name === model),
      ),
    );
    if (!first) continue;
    next = setInput(next, widgetId, input.name, {
      inputType: input.type,
      valueType: 'VALUE',
      value: input.array ? [first.name] : first.name,
      ...(input.array ? { array: true } : {}),
    });
  }
  return next;
}
