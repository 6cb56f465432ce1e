import { z } from 'zod';

/**
 * The most one query (or one token's filters) may ask for: generous for real dashboards, small
 * enough that a hostile body is refused before any compile or database work. Documented in the
 * server and root READMEs; change them together.
 */
export const QUERY_LIMITS = {
  /** measures + dimensions + timeDimensions + segments. */
  members: 200,
  /** Every member filter and every and/or group, counted over the whole tree. */
  filters: 200,
  /** Values of one filter (one `IN` list). */
  valuesPerFilter: 1_000,
  /** Values of all filters together: PostgreSQL binds at most 65 535 parameters per statement. */
  values: 10_000,
  /** and/or groups inside one another (a flat filter list has none). */
  depth: 10,
  /** Order entries. */
  order: 200,
} as const;

/** A limit a value goes over: where (a zod path) and what, naming the limit and the value found. */
export interface LimitIssue {
  path: (string | number)[];
  message: string;
}

const MEMBER_LISTS = ['measures', 'dimensions', 'timeDimensions', 'segments'] as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface Pending {
  node: unknown;
  /** and/or groups around the node. */
  depth: number;
  /** Kept only down to one group past the limit: a path per node of a deep chain would be quadratic. */
  path: (string | number)[] | undefined;
}

/**
 * Checks a filter list as sent (not yet validated) against the limits, in one iterative walk: a
 * recursive validator overflows the stack on filters nested some thousand levels deep before it
 * could refuse them. Anything that is not the expected shape is left for the schema to reject.
 */
export function filtersLimitIssue(
  filters: unknown,
  at: (string | number)[] = ['filters'],
): LimitIssue | undefined {
  if (!Array.isArray(filters)) return undefined;
  let count = 0;
  let values = 0;
  let deepest = 0;
  let tooDeep: (string | number)[] | undefined;
  let tooManyValues: LimitIssue | undefined;
  const pending: Pending[] = filters.map((node, i) => ({ node, depth: 0, path: [...at, i] })).reverse();
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { node, depth, path } = next;
    count++;
    if (!isRecord(node)) continue;
    for (const key of ['and', 'or'] as const) {
      const children = node[key];
      if (!Array.isArray(children)) continue;
      const inner = depth + 1;
      deepest = Math.max(deepest, inner);
      if (inner > QUERY_LIMITS.depth && !tooDeep && path) tooDeep = [...path, key];
      for (let i = children.length - 1; i >= 0; i--) {
        const childPath = path && inner <= QUERY_LIMITS.depth ? [...path, key, i] : undefined;
        pending.push({ node: children[i], depth: inner, path: childPath });
      }
    }
    if (Array.isArray(node.values)) {
      values += node.values.length;
      if (node.values.length > QUERY_LIMITS.valuesPerFilter && !tooManyValues && path) {
        tooManyValues = {
          path: [...path, 'values'],
          message: `${node.values.length} values, the limit is ${QUERY_LIMITS.valuesPerFilter} per filter`,
        };
      }
    }
  }
  if (tooDeep) {
    return {
      path: tooDeep,
      message: `and/or groups nested ${deepest} deep, the limit is ${QUERY_LIMITS.depth}`,
    };
  }
  if (count > QUERY_LIMITS.filters) {
    return {
      path: at,
      message: `${count} filters, the limit is ${QUERY_LIMITS.filters} (every member filter and and/or group counts)`,
    };
  }
  if (tooManyValues) return tooManyValues;
  if (values > QUERY_LIMITS.values) {
    return { path: at, message: `${values} filter values in all, the limit is ${QUERY_LIMITS.values}` };
  }
  return undefined;
}

/** Checks a `/load` query as sent against the limits; cheap, and never recursive. */
export function queryLimitIssue(query: unknown): LimitIssue | undefined {
  if (!isRecord(query)) return undefined;
  let members = 0;
  let largest: string = MEMBER_LISTS[0];
  for (const list of MEMBER_LISTS) {
    const items = query[list];
    if (!Array.isArray(items)) continue;
    members += items.length;
    const current = query[largest];
    if (items.length > (Array.isArray(current) ? current.length : 0)) largest = list;
  }
  if (members > QUERY_LIMITS.members) {
    return {
      path: [largest],
      message: `${members} members, the limit is ${QUERY_LIMITS.members} (${MEMBER_LISTS.join(' + ')})`,
    };
  }
  const filters = filtersLimitIssue(query.filters);
  if (filters) return filters;
  const order = query.order;
  const orderEntries = Array.isArray(order) ? order.length : isRecord(order) ? Object.keys(order).length : 0;
  if (orderEntries > QUERY_LIMITS.order) {
    return { path: ['order'], message: `${orderEntries} order entries, the limit is ${QUERY_LIMITS.order}` };
  }
  return undefined;
}

/**
 * `schema`, refused first (before its own, possibly recursive, validation) when `check` finds a
 * limit gone over. JSON Schema (OpenAPI) renders it as `schema` itself.
 */
export function withLimits<S extends z.ZodType>(
  schema: S,
  check: (value: unknown) => LimitIssue | undefined,
): z.ZodPreprocess<S, z.input<S>> {
  return z.preprocess<unknown, S, z.input<S>>((value, ctx) => {
    const issue = check(value);
    if (issue) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, input: value });
    return value;
  }, schema);
}
