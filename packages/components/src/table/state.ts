import type { MemberRef } from '@inlay/sdk';

/** What a table remembers per widget (runtime state, so `config.props` can query with it). */
export interface TableState {
  page: number;
  /** The member name sorted by and the direction, once the reader picked one. */
  sort?: { member: string; direction: 'asc' | 'desc' };
  /** True while a CSV export's rows are being loaded. */
  exporting?: boolean;
}

export const INITIAL_TABLE_STATE: TableState = { page: 0 };

/** The runtime's state is `unknown`; anything not shaped like ours is the initial state. */
export function tableState(value: unknown): TableState {
  if (typeof value !== 'object' || value === null) return INITIAL_TABLE_STATE;
  const v = value as Partial<TableState>;
  const page = typeof v.page === 'number' && Number.isInteger(v.page) && v.page >= 0 ? v.page : 0;
  const sort =
    v.sort && typeof v.sort.member === 'string' && (v.sort.direction === 'asc' || v.sort.direction === 'desc')
      ? v.sort
      : undefined;
  return { page, ...(sort ? { sort } : {}), ...(v.exporting === true ? { exporting: true } : {}) };
}

/** The order in force: the reader's choice, else the builder's `sortBy`/`sortDirection`. */
export function orderOf(
  state: TableState,
  sortBy: MemberRef | undefined,
  sortDirection: string | undefined,
): { member: string; direction: 'asc' | 'desc' } | undefined {
  if (state.sort) return state.sort;
  if (!sortBy) return undefined;
  return { member: sortBy.name, direction: sortDirection === 'asc' ? 'asc' : 'desc' };
}

/** Clicking a header: the same column flips direction, another starts descending for measures. */
export function nextSort(
  current: { member: string; direction: 'asc' | 'desc' } | undefined,
  member: string,
  isMeasure: boolean,
): { member: string; direction: 'asc' | 'desc' } {
  if (current?.member === member) return { member, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { member, direction: isMeasure ? 'desc' : 'asc' };
}
