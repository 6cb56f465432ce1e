import type { Filter } from '@inlay/core';

/** The members a filter tree names. */
export function filterMembers(f: Filter, out: string[] = []): string[] {
  if ('and' in f) for (const x of f.and) filterMembers(x, out);
  else if ('or' in f) for (const x of f.or) filterMembers(x, out);
  else out.push(f.member);
  return out;
}
