import type { ClientContext, Filter, LoadDataRequest, MemberRef, QueryInput } from '@inlay/core';

/**
 * A component's `loadData(...)` request → the Cube query POSTed to `/api/v1/load`. Pure.
 * Dataset filters and date ranges (variables already substituted) are applied here, so a
 * component cannot forget them.
 */

export type MemberKind = 'measure' | 'dimension' | 'time';
/** What a member is, from the server's `/meta` (or the component meta's input types). */
export type KindOf = (name: string) => MemberKind | undefined;

export const DEFAULT_LIMIT = 100;

type TimeDimensionInput = NonNullable<QueryInput['timeDimensions']>[number];

const nameOf = (m: MemberRef | string): string => (typeof m === 'string' ? m : m.name);
const granularityOf = (m: MemberRef | string): string | undefined => {
  const g = typeof m === 'string' ? undefined : m.inputs?.granularity;
  return typeof g === 'string' && g ? g : undefined;
};

export function buildQuery(req: LoadDataRequest, clientContext: ClientContext, kindOf: KindOf): QueryInput {
  const measures: string[] = [];
  const dimensions: string[] = [];
  const timeDimensions: TimeDimensionInput[] = (req.timeDimensions ?? []).map((t) => ({ ...t }));

  // A dimension with a granularity (a sub-input, e.g. `week`) is a time dimension bucketed by it.
  const addDimension = (m: MemberRef | string) => {
    const granularity = granularityOf(m);
    if (granularity) timeDimensions.push({ dimension: nameOf(m), granularity });
    else dimensions.push(nameOf(m));
  };
  for (const m of req.measures ?? []) measures.push(nameOf(m));
  for (const m of req.dimensions ?? []) addDimension(m);
  for (const m of req.select ?? []) {
    if (kindOf(nameOf(m)) === 'measure') measures.push(nameOf(m));
    else addDimension(m);
  }

  // The dataset's date ranges go onto that member's time dimension (added when the query has none).
  const filters: Filter[] = [...req.from.filters, ...(req.filters ?? [])];
  for (const range of req.from.timeRanges) {
    const own = timeDimensions.filter((t) => t.dimension === range.dimension);
    const free = own.filter((t) => t.dateRange === undefined);
    if (own.length === 0) timeDimensions.push({ dimension: range.dimension, dateRange: range.dateRange });
    else if (free.length > 0) for (const t of free) t.dateRange = range.dateRange;
    // The request brought its own range: both must hold.
    else filters.push({ member: range.dimension, operator: 'inDateRange', values: [range.dateRange].flat() });
  }

  const query: QueryInput = {
    measures: unique(measures),
    dimensions: unique(dimensions),
    timeDimensions,
    filters,
    limit: req.limit ?? DEFAULT_LIMIT,
  };
  if (req.orderBy?.length) {
    query.order = req.orderBy.map((o) => [nameOf(o.property), o.direction]);
  }
  if (req.offset) query.offset = req.offset;
  if (req.countRows) query.total = true;
  const timezone = req.timezone ?? clientContext.timezone;
  if (timezone) query.timezone = timezone;
  return query;
}

const unique = (list: string[]) => [...new Set(list)];

/** A stable key for deduplication: the same query text means the same answer. */
export const queryKey = (query: QueryInput): string => JSON.stringify(query);

/** Is this prop a `loadData(...)` request the runtime must run? */
export function isLoadDataRequest(value: unknown): value is LoadDataRequest {
  return typeof value === 'object' && value !== null && (value as LoadDataRequest).__inlayLoadData === true;
}
