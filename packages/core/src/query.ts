import { z } from 'zod';
import { deepFreeze } from './frozen.js';
import { filtersLimitIssue, QUERY_LIMITS, queryLimitIssue, withLimits } from './query-limits.js';

/** Cube's `/load` query shape. Member names are `cube.member` (or `view.member`). */

export const FILTER_OPERATORS = [
  'equals',
  'notEquals',
  'contains',
  'notContains',
  'startsWith',
  'notStartsWith',
  'endsWith',
  'notEndsWith',
  'gt',
  'gte',
  'lt',
  'lte',
  'set',
  'notSet',
  'inDateRange',
  'notInDateRange',
  'beforeDate',
  'beforeOrOnDate',
  'afterDate',
  'afterOrOnDate',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export const GRANULARITIES = ['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
export type StandardGranularity = (typeof GRANULARITIES)[number];

/** `cube.member` or `view.member`. */
export const memberNameSchema = z
  .string()
  .max(200)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/, 'must be "cube.member" (letters, digits, _)');

const filterValues = z
  .array(z.union([z.string(), z.number(), z.boolean()]))
  .max(QUERY_LIMITS.valuesPerFilter, `at most ${QUERY_LIMITS.valuesPerFilter} values per filter`);

export interface MemberFilter {
  member: string;
  operator: FilterOperator;
  values?: (string | number | boolean)[];
}
export interface AndFilter {
  and: Filter[];
}
export interface OrFilter {
  or: Filter[];
}
export type Filter = MemberFilter | AndFilter | OrFilter;

/** One `{member, operator, values}` filter (no `and`/`or`): the shape of a token's filters. */
export const memberFilterSchema = z.strictObject({
  member: memberNameSchema,
  operator: z.enum(FILTER_OPERATORS),
  values: filterValues.optional(),
});
// `dimension` is Cube's legacy name for `member`.
const legacyMemberFilter = z
  .strictObject({
    dimension: memberNameSchema,
    operator: z.enum(FILTER_OPERATORS),
    values: filterValues.optional(),
  })
  .transform(({ dimension, ...rest }) => ({ member: dimension, ...rest }));

export const filterSchema: z.ZodType<Filter> = z.lazy(() =>
  z.union([
    memberFilterSchema,
    legacyMemberFilter,
    z.strictObject({ and: z.array(filterSchema).min(1) }),
    z.strictObject({ or: z.array(filterSchema).min(1) }),
  ]),
) as z.ZodType<Filter>;

/** A filter list on its own (a token's, the engine's security options), checked against `QUERY_LIMITS` first. */
export function filterListSchema<S extends z.ZodType>(item: S) {
  return withLimits(z.array(item).max(QUERY_LIMITS.filters), (list) => filtersLimitIssue(list, []));
}

export const dateRangeSchema = z.union([
  z.string().min(1).max(100),
  z.tuple([z.string().max(40), z.string().max(40)]),
]);

export const timeDimensionSchema = z.strictObject({
  dimension: memberNameSchema,
  granularity: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a granularity name')
    .optional(),
  dateRange: dateRangeSchema.optional(),
});

const direction = z.enum(['asc', 'desc']);
export const orderSchema = z.union([
  z.record(z.string().max(200), direction),
  z.array(z.tuple([z.string().max(200), direction])).max(QUERY_LIMITS.order),
]);

const LIMITS_TEXT =
  `At most ${QUERY_LIMITS.members} members (measures + dimensions + timeDimensions + segments), ` +
  `${QUERY_LIMITS.filters} filters (every member filter and and/or group), ${QUERY_LIMITS.valuesPerFilter} values ` +
  `per filter and ${QUERY_LIMITS.values} in all, and/or nested ${QUERY_LIMITS.depth} deep, ` +
  `${QUERY_LIMITS.order} order entries; more is a 400 naming the limit.`;

const queryObjectSchema = z.strictObject({
  measures: z.array(memberNameSchema).default([]),
  dimensions: z.array(memberNameSchema).default([]),
  timeDimensions: z.array(timeDimensionSchema).default([]),
  filters: z.array(filterSchema).default([]),
  segments: z.array(memberNameSchema).default([]),
  order: orderSchema.optional(),
  limit: z.number().int().min(0).optional(),
  offset: z.number().int().min(0).optional(),
  timezone: z.string().max(64).optional(),
  total: z.boolean().optional(),
  ungrouped: z.boolean().optional(),
  renewQuery: z.boolean().optional(),
});

/** Checked against `QUERY_LIMITS` before anything else, so a hostile query costs milliseconds. */
export const querySchema = withLimits(queryObjectSchema, queryLimitIssue).describe(LIMITS_TEXT);

const validatedQueries = new WeakSet<object>();

/**
 * `querySchema` for a route that validates a request body: its output is frozen and remembered,
 * so the engine takes it as the valid query it is (`isValidatedQuery`) instead of running the
 * same validation again on every compile. Frozen, it cannot have changed since.
 */
export const validatedQuerySchema = querySchema.overwrite((query) => {
  // A check, not a transform: the OpenAPI document describes (and requires) the query as before.
  validatedQueries.add(deepFreeze(query));
  return query;
});

/** A query `validatedQuerySchema` produced: valid, and unchanged since (frozen). */
export function isValidatedQuery(value: unknown): value is Query {
  return typeof value === 'object' && value !== null && validatedQueries.has(value);
}

/** A query as a client sends it (every list optional). */
export type QueryInput = z.input<typeof queryObjectSchema>;
/** A query after validation (lists present). */
export type Query = z.output<typeof queryObjectSchema>;
export type TimeDimension = z.output<typeof timeDimensionSchema>;
export type DateRange = z.output<typeof dateRangeSchema>;

/** What the token (or a preview call) brings to a query: who is asking and what they may see. */
export interface SecurityOptions {
  securityContext?: Record<string, unknown>;
  /** Access-policy roles; `['default']` when empty. */
  roles?: string[];
  /** Filters that every query of the token must apply. */
  filters?: MemberFilter[];
}

export interface MemberAnnotation {
  title: string;
  shortTitle: string;
  type: string;
  format?: string;
  meta?: Record<string, unknown>;
}

export interface Annotation {
  measures: Record<string, MemberAnnotation>;
  dimensions: Record<string, MemberAnnotation>;
  segments: Record<string, MemberAnnotation>;
  timeDimensions: Record<string, MemberAnnotation>;
}

export type ResultValue = string | number | boolean | null;
export interface LoadResponse {
  data: Record<string, ResultValue>[];
  annotation: Annotation;
  total?: number;
}
