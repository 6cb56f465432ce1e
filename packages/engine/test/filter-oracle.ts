import type { FilterOperator } from '@inlay/core';

/**
 * What a string filter operator means, written without LIKE (case-insensitive for the pattern
 * operators): the oracle the injection corpora check answers against, in the engine and over HTTP.
 */
export function matches(op: FilterOperator, s: string, v: string): boolean {
  const negative = op.startsWith('not');
  const positive = negative ? op[3]!.toLowerCase() + op.slice(4) : op;
  const [a, b] = [s.toLowerCase(), v.toLowerCase()];
  const tests: Record<string, boolean> = {
    equals: s === v,
    contains: a.includes(b),
    startsWith: a.startsWith(b),
    endsWith: a.endsWith(b),
  };
  return tests[positive] !== negative;
}
