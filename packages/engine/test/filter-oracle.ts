import { FILTER_OPERATORS, type FilterOperator } from '@inlay/core';

/** `notContains` → `contains`: the operator a negative one inverts. */
const positiveOf = (op: FilterOperator): string =>
  op.startsWith('not') ? op[3]!.toLowerCase() + op.slice(4) : op;

const ORACLE: Record<string, (s: string, v: string) => boolean> = {
  equals: (s, v) => s === v,
  contains: (s, v) => s.toLowerCase().includes(v.toLowerCase()),
  startsWith: (s, v) => s.toLowerCase().startsWith(v.toLowerCase()),
  endsWith: (s, v) => s.toLowerCase().endsWith(v.toLowerCase()),
};

/** The operators `matches` answers for: the string comparisons and patterns, and their negations. */
export const STRING_OPS: FilterOperator[] = FILTER_OPERATORS.filter((op) => positiveOf(op) in ORACLE);

/**
 * What a string filter operator means, written without LIKE (case-insensitive for the pattern
 * operators): the oracle the injection corpora check answers against, in the engine and over HTTP.
 */
export function matches(op: FilterOperator, s: string, v: string): boolean {
  const test = ORACLE[positiveOf(op)];
  if (!test) throw new Error(`no oracle for the filter operator ${op}`);
  return test(s, v) !== op.startsWith('not');
}
