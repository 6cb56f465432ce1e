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
