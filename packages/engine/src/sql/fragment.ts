import type { ParamValue } from '@inlay/core';

/**
 * SQL is assembled from fragments: text the engine or the model's author wrote, identifiers the
 * dialect quotes, and parameters the dialect numbers. A value from a query, a token or a security
 * context can only enter SQL as a `ParamPart`, so no stage can glue it into the text.
 */
export interface ParamPart {
  readonly kind: 'param';
  readonly value: ParamValue;
}
export interface IdentPart {
  readonly kind: 'ident';
  readonly name: string;
}
export interface Fragment {
  readonly kind: 'frag';
  readonly parts: readonly Part[];
}
export type Part = string | ParamPart | IdentPart | Fragment;

const EMPTY: Fragment = { kind: 'frag', parts: [] };

export function sql(strings: TemplateStringsArray, ...values: Part[]): Fragment {
  const parts: Part[] = [];
  for (let i = 0; i < strings.length; i++) {
    if (strings[i]) parts.push(strings[i]!);
    if (i < values.length) parts.push(values[i]!);
  }
  return { kind: 'frag', parts };
}

/** Text written by the engine or by the model's author (never by a query or token). */
export function raw(text: string): Fragment {
  return { kind: 'frag', parts: [text] };
}

export function param(value: ParamValue): ParamPart {
  return { kind: 'param', value };
}

export function ident(name: string): IdentPart {
  return { kind: 'ident', name };
}

export function frag(parts: Part[]): Fragment {
  return { kind: 'frag', parts };
}

export function joinFragments(items: readonly Part[], separator: string): Fragment {
  if (items.length === 0) return EMPTY;
  const parts: Part[] = [];
  items.forEach((item, i) => {
    if (i > 0) parts.push(separator);
    parts.push(item);
  });
  return { kind: 'frag', parts };
}

/** `a AND b AND …`, each operand parenthesised; undefined when empty. */
export function and(items: readonly Fragment[]): Fragment | undefined {
  if (items.length === 0) return undefined;
  if (items.length === 1) return items[0];
  return frag(['(', joinFragments(items, ') AND ('), ')']);
}

export function or(items: readonly Fragment[]): Fragment | undefined {
  if (items.length === 0) return undefined;
  if (items.length === 1) return items[0];
  return frag(['(', joinFragments(items, ') OR ('), ')']);
}

export function isEmpty(f: Fragment): boolean {
  return f.parts.length === 0;
}
