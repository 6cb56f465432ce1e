import type { Annotation, MemberAnnotation, ResultValue } from '@inlay/core';
import type { DataResponse, DatasetRef, MemberRef } from '@inlay/core/dashboard-types';

/**
 * Previews show a component with made-up data (the builder's gallery, an author's storybook, tests):
 * mock members and a mock `DataResponse` shaped exactly as the runtime delivers one.
 */

export interface MockMember extends MemberRef {
  kind: 'dimension' | 'measure' | 'timeDimension';
  annotation: MemberAnnotation;
  /** The key its values have in a row (a time dimension's includes the granularity). */
  key: string;
}

function titleOf(name: string): string {
  const last = name.split('.').pop() ?? name;
  return last.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

export function mockDimension(
  name: string,
  options: { title?: string; type?: 'string' | 'number' | 'boolean' | 'time'; granularity?: string } = {},
): MockMember {
  const title = options.title ?? titleOf(name);
  const type = options.type ?? 'string';
  const granularity = type === 'time' ? options.granularity : undefined;
  return {
    name,
    title,
    kind: type === 'time' ? 'timeDimension' : 'dimension',
    key: granularity ? `${name}.${granularity}` : name,
    annotation: { title, shortTitle: title, type },
    ...(granularity ? { inputs: { granularity } } : {}),
  };
}

export function mockMeasure(name: string, options: { title?: string; format?: string } = {}): MockMember {
  const title = options.title ?? titleOf(name);
  return {
    name,
    title,
    kind: 'measure',
    key: name,
    annotation: {
      title,
      shortTitle: title,
      type: 'number',
      ...(options.format ? { format: options.format } : {}),
    },
  };
}

/** A dataset input's value for previews and tests. */
export function mockDataset(model: string, datasetName = model): DatasetRef {
  return { datasetName, model, filters: [], timeRanges: [] };
}

/**
 * A loaded `DataResponse` for `members`; rows are objects keyed by member key, or arrays in the
 * members' order.
 */
export function mockDataResponse(
  members: readonly MockMember[],
  rows: readonly (Record<string, ResultValue> | readonly ResultValue[])[],
  options: { total?: number } = {},
): DataResponse {
  const annotation: Annotation = { measures: {}, dimensions: {}, segments: {}, timeDimensions: {} };
  for (const m of members) {
    const group =
      m.kind === 'measure' ? 'measures' : m.kind === 'dimension' ? 'dimensions' : 'timeDimensions';
    annotation[group][m.key] = m.annotation;
  }
  const data = rows.map((row) =>
    Array.isArray(row)
      ? Object.fromEntries(members.map((m, i) => [m.key, (row as readonly ResultValue[])[i] ?? null]))
      : { ...(row as Record<string, ResultValue>) },
  );
  return {
    isLoading: false,
    data,
    annotation,
    ...(options.total !== undefined ? { total: options.total } : {}),
  };
}

export interface Preview<P = Record<string, unknown>> {
  component: unknown;
  props: P;
  label: string;
}

/** A named example of a component with given props (data props as `mockDataResponse`s). */
export function definePreview<P extends Record<string, unknown>>(
  component: unknown,
  props: P,
  options: { label?: string } = {},
): Preview<P> {
  return { component, props, label: options.label ?? 'Preview' };
}
