import type { ComponentInputMeta, DashboardVariable } from '@inlay/core';
import type { Draft } from './document.js';

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
