import { z } from 'zod';
import { FILTER_OPERATORS } from './query.js';

/**
 * The Cube YAML dialect as Inlay accepts it. Objects are strict: an unknown key is an error
 * (with the closest known key suggested), so a typo never silently drops a rule.
 */

const name = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must start with a letter or _ and hold only letters, digits and _');
const sqlText = z.string().min(1, 'must not be empty');
const meta = z.record(z.string(), z.unknown());
const common = {
  title: z.string().optional(),
  description: z.string().optional(),
  meta: meta.optional(),
  public: z.boolean().optional(),
  shown: z.boolean().optional(),
};

export const DIMENSION_TYPES = ['string', 'number', 'boolean', 'time', 'geo'] as const;
export const MEASURE_TYPES = [
  'count',
  'count_distinct',
  'count_distinct_approx',
  'sum',
  'avg',
  'min',
  'max',
  'number',
  'string',
  'time',
  'boolean',
] as const;
export const RELATIONSHIPS = [
  'one_to_one',
  'one_to_many',
  'many_to_one',
  'has_one',
  'has_many',
  'belongs_to',
  'hasOne',
  'hasMany',
  'belongsTo',
] as const;

const granularity = z.strictObject({
  name,
  interval: z
    .string()
    .regex(/^\s*\d+\s+[a-z]+s?(\s+\d+\s+[a-z]+s?)*\s*$/, 'must look like "1 year" or "2 weeks"'),
  offset: z.string().optional(),
  origin: z.string().optional(),
  title: z.string().optional(),
});

const caseLabel = z.union([z.string(), z.strictObject({ sql: sqlText })]);
const caseDef = z.strictObject({
  when: z.array(z.strictObject({ sql: sqlText, label: caseLabel })).min(1),
  else: z.strictObject({ label: caseLabel }).optional(),
});

export const dimensionSchema = z.strictObject({
  name,
  sql: sqlText.optional(),
  type: z.enum(DIMENSION_TYPES),
  ...common,
  format: z.string().optional(),
  primary_key: z.boolean().optional(),
  sub_query: z.boolean().optional(),
  propagate_filters_to_sub_query: z.boolean().optional(),
  case: caseDef.optional(),
  granularities: z.array(granularity).optional(),
  latitude: z.strictObject({ sql: sqlText }).optional(),
  longitude: z.strictObject({ sql: sqlText }).optional(),
  suggest_filter_values: z.boolean().optional(),
});

const rollingWindow = z.strictObject({
  trailing: z.string().optional(),
  leading: z.string().optional(),
  offset: z.enum(['start', 'end']).optional(),
});

export const measureSchema = z.strictObject({
  name,
  sql: sqlText.optional(),
  type: z.enum(MEASURE_TYPES),
  ...common,
  format: z.string().optional(),
  filters: z.array(z.strictObject({ sql: sqlText })).optional(),
  rolling_window: rollingWindow.optional(),
  drill_members: z.array(z.string()).optional(),
});

export const joinSchema = z.strictObject({
  name,
  relationship: z.enum(RELATIONSHIPS),
  sql: sqlText,
});

export const segmentSchema = z.strictObject({ name, sql: sqlText, ...common });

const refreshKey = z.strictObject({
  every: z.string().optional(),
  sql: sqlText.optional(),
  incremental: z.boolean().optional(),
  update_window: z.string().optional(),
});

export const preAggregationSchema = z.strictObject({
  name,
  type: z.enum(['rollup', 'original_sql', 'rollup_join', 'rollup_lambda']).default('rollup'),
  measures: z.array(z.string()).optional(),
  dimensions: z.array(z.string()).optional(),
  segments: z.array(z.string()).optional(),
  time_dimension: z.string().optional(),
  granularity: z.string().optional(),
  partition_granularity: z.string().optional(),
  refresh_key: refreshKey.optional(),
  build_range_start: z.strictObject({ sql: sqlText }).optional(),
  build_range_end: z.strictObject({ sql: sqlText }).optional(),
  indexes: z.array(z.strictObject({ name, columns: z.array(z.string()).min(1) })).optional(),
  scheduled_refresh: z.boolean().optional(),
  external: z.boolean().optional(),
  allow_non_strict_date_range_match: z.boolean().optional(),
  /** A rollup built from its cube's original_sql pre-aggregation instead of the cube's SQL. */
  use_original_sql_pre_aggregations: z.boolean().optional(),
});

export interface PolicyFilterMember {
  member: string;
  operator: (typeof FILTER_OPERATORS)[number];
  values?: (string | number | boolean)[];
}
export type PolicyFilter = PolicyFilterMember | { and: PolicyFilter[] } | { or: PolicyFilter[] };

const policyFilter: z.ZodType<PolicyFilter> = z.lazy(() =>
  z.union([
    z.strictObject({
      member: z.string().min(1),
      operator: z.enum(FILTER_OPERATORS),
      values: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
    }),
    z.strictObject({ and: z.array(policyFilter).min(1) }),
    z.strictObject({ or: z.array(policyFilter).min(1) }),
  ]),
) as z.ZodType<PolicyFilter>;

export const accessPolicySchema = z.strictObject({
  role: z.string().min(1),
  conditions: z.array(z.strictObject({ if: z.union([z.string(), z.boolean()]) })).optional(),
  member_level: z
    .strictObject({
      includes: z.union([z.literal('*'), z.array(z.string())]).optional(),
      excludes: z.union([z.literal('*'), z.array(z.string())]).optional(),
    })
    .optional(),
  row_level: z
    .strictObject({
      filters: z.array(policyFilter).optional(),
      allow_all: z.boolean().optional(),
    })
    .optional(),
});

export const cubeSchema = z.strictObject({
  name,
  sql_table: sqlText.optional(),
  sql: sqlText.optional(),
  sql_alias: name.optional(),
  data_source: z.string().optional(),
  extends: z.string().optional(),
  ...common,
  refresh_key: refreshKey.optional(),
  dimensions: z.array(dimensionSchema).optional(),
  measures: z.array(measureSchema).optional(),
  joins: z.array(joinSchema).optional(),
  segments: z.array(segmentSchema).optional(),
  pre_aggregations: z.array(preAggregationSchema).optional(),
  access_policy: z.array(accessPolicySchema).optional(),
});

const viewInclude = z.union([
  z.string(),
  z.strictObject({
    name: z.string(),
    alias: name.optional(),
    title: z.string().optional(),
    description: z.string().optional(),
    format: z.string().optional(),
    meta: meta.optional(),
  }),
]);

export const viewSchema = z.strictObject({
  name,
  ...common,
  cubes: z
    .array(
      z.strictObject({
        join_path: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'must be cube names joined by dots'),
        includes: z.union([z.literal('*'), z.array(viewInclude)]).optional(),
        excludes: z.array(z.string()).optional(),
        prefix: z.boolean().optional(),
        alias: name.optional(),
      }),
    )
    .min(1),
  access_policy: z.array(accessPolicySchema).optional(),
  folders: z.array(z.unknown()).optional(),
});

export const modelFileSchema = z.strictObject({
  cubes: z.array(cubeSchema).optional(),
  views: z.array(viewSchema).optional(),
});

export type CubeSpec = z.output<typeof cubeSchema>;
export type ViewSpec = z.output<typeof viewSchema>;
export type DimensionSpec = z.output<typeof dimensionSchema>;
export type MeasureSpec = z.output<typeof measureSchema>;
export type JoinSpec = z.output<typeof joinSchema>;
export type SegmentSpec = z.output<typeof segmentSchema>;
export type PreAggregationSpec = z.output<typeof preAggregationSchema>;
export type AccessPolicySpec = z.output<typeof accessPolicySchema>;
export type ModelFileSpec = z.output<typeof modelFileSchema>;
