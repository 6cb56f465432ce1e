import type { Annotation, MemberAnnotation, MemberRef } from '@inlay/sdk';

/** The key a member's values have in `/load` rows: a time dimension's includes its granularity. */
export function memberKey(ref: MemberRef | string): string {
  if (typeof ref === 'string') return ref;
  const g = ref.inputs?.granularity;
  return typeof g === 'string' && g ? `${ref.name}.${g}` : ref.name;
}

/** A member's annotation in a response, wherever the server put it. */
export function annotationOf(annotation: Annotation | undefined, key: string): MemberAnnotation | undefined {
  if (!annotation) return undefined;
  return (
    annotation.measures[key] ??
    annotation.dimensions[key] ??
    annotation.timeDimensions[key] ??
    annotation.segments[key]
  );
}

/**
 * What to call a member: the builder's title, else the model's short title (a widget's title
 * already says which cube: "Count", not "Flights Count"), else the member name.
 */
export function memberTitle(ref: MemberRef | string, annotation?: MemberAnnotation): string {
  if (typeof ref !== 'string' && ref.title) return ref.title;
  return annotation?.shortTitle || annotation?.title || (typeof ref === 'string' ? ref : ref.name);
}

/** Array inputs arrive as arrays; a single value or nothing is tolerated. */
export function asList<T>(value: T | T[] | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
