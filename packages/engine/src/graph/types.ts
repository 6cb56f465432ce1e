import type { PolicyFilter, PreAggregationSpec } from '@inlay/core';
import type { Duration } from '../time/duration.js';

/**
 * The compiled model: every cube and view with members resolved, references checked and
 * templates pre-parsed. Built once per model version; planning reads it and never mutates it.
 */

export type TemplatePart =
  | string
  /** The SQL alias of a cube (`{CUBE}`, `{other_cube}`). */
  | { readonly ref: 'cube'; readonly cube: string }
  /** Another member's SQL (`{member}`, `{cube.member}`). */
  | { readonly ref: 'member'; readonly cube: string; readonly member: string }
  /** A column name the dialect quotes (from a bare `sql: column`). */
  | { readonly ref: 'column'; readonly name: string }
  /** A security-context value (`{SECURITY_CONTEXT.x}`); always a bound parameter. */
  | { readonly ref: 'security'; readonly path: readonly string[] };

export interface Template {
  readonly parts: readonly TemplatePart[];
  readonly source: string;
}

export interface Location {
  file: string;
  line?: number;
}

interface Described {
  title: string;
  shortTitle: string;
  description?: string;
  meta?: Record<string, unknown>;
  format?: string;
  public: boolean;
  loc: Location;
}

export interface CustomGranularity {
  name: string;
  title: string;
  /** Interval as counted units, e.g. [{n: 1, unit: 'year'}]. */
  interval: Duration[];
  offset?: Duration[];
  origin?: string;
}

export interface DimensionDef extends Described {
  kind: 'dimension';
  cube: string;
  name: string;
  type: 'string' | 'number' | 'boolean' | 'time' | 'geo';
  sql?: Template;
  primaryKey: boolean;
  subQuery: boolean;
  caseWhen?: { when: { sql: Template; label: string | Template }[]; else?: string | Template };
  granularities: Map<string, CustomGranularity>;
  latitude?: Template;
  longitude?: Template;
}

export interface RollingWindow {
  trailing?: Duration | 'unbounded';
  leading?: Duration | 'unbounded';
  offset: 'start' | 'end';
}

export type MeasureType =
  | 'count'
  | 'count_distinct'
  | 'count_distinct_approx'
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'number'
  | 'string'
  | 'time'
  | 'boolean';

export interface MeasureDef extends Described {
  kind: 'measure';
  cube: string;
  name: string;
  type: MeasureType;
  sql?: Template;
  filters: Template[];
  rollingWindow?: RollingWindow;
}

export interface SegmentDef extends Described {
  kind: 'segment';
  cube: string;
  name: string;
  sql: Template;
}

export type MemberDef = DimensionDef | MeasureDef | SegmentDef;

export type Relationship = 'one_to_one' | 'one_to_many' | 'many_to_one';

export interface JoinDef {
  from: string;
  to: string;
  relationship: Relationship;
  on: Template;
  loc: Location;
}

export interface PolicyDef {
  role: string;
  /** Each condition is a template whose value must be truthy (`{ securityContext.is_admin }`). */
  conditions: (Template | boolean)[];
  includes: '*' | Set<string>;
  excludes: Set<string>;
  /** Undefined means every row (no row_level, or allow_all). */
  rowFilters?: PolicyFilter[];
  loc: Location;
}

export interface CubeDef {
  kind: 'cube';
  name: string;
  /** `sql_table` as text, or `(sql)`; may hold security-context references. */
  from: Template;
  dataSource: string;
  title: string;
  description?: string;
  meta?: Record<string, unknown>;
  /** Whether the author wrote `public: true`: meant to be open without a row-level rule. */
  markedPublic: boolean;
  public: boolean;
  dimensions: Map<string, DimensionDef>;
  measures: Map<string, MeasureDef>;
  segments: Map<string, SegmentDef>;
  joins: Map<string, JoinDef>;
  primaryKeys: string[];
  policies?: PolicyDef[];
  preAggregations: PreAggregationSpec[];
  refreshKey?: { every?: string; sql?: string };
  loc: Location;
}

export interface ViewMember {
  name: string;
  kind: 'dimension' | 'measure' | 'segment';
  cube: string;
  member: string;
  /** Cubes from the view's root to `cube`, inclusive. */
  path: string[];
  title?: string;
  description?: string;
  format?: string;
  meta?: Record<string, unknown>;
}

export interface ViewDef {
  kind: 'view';
  name: string;
  root: string;
  members: Map<string, ViewMember>;
  policies?: PolicyDef[];
  title: string;
  description?: string;
  meta?: Record<string, unknown>;
  markedPublic: boolean;
  public: boolean;
  loc: Location;
}

export interface SemanticModel {
  /** Content hash of the model files: the model version. */
  version: string;
  cubes: Map<string, CubeDef>;
  views: Map<string, ViewDef>;
}
