import type { Annotation, ParamValue, QueryInput, SecurityOptions } from '@inlay/core';
import { type Dialect, getDialect } from './dialects/index.js';
import type { SemanticModel } from './graph/types.js';
import { type LimitOptions, type Plan, plan } from './plan/planner.js';
import type { OutputColumn } from './render/columns.js';
import { type RenderedPlan, renderPlan } from './render/statements.js';
import { annotate } from './run/annotate.js';
import { printStatement } from './sql/print.js';
import type { Statement } from './sql/tree.js';
import { Clock } from './time/clock.js';

export interface CompileOptions {
  /**
   * The SQL dialect, or the dialect of each `data_source` (called once, with the data source all
   * of the query's cubes share).
   */
  dialect: string | Dialect | ((dataSource: string) => string | Dialect);
  security?: SecurityOptions;
  /** The instant relative date ranges are computed from; now by default. */
  now?: Date;
  /** Rows returned when the query gives no limit (Cube's 10 000). */
  defaultLimit?: number;
  /** A query asking for more rows than this is refused. */
  maxLimit?: number;
}

export interface CompiledQuery {
  /** The `data_source` the query runs on (every cube it reads shares it). */
  dataSource: string;
  sql: string;
  params: ParamValue[];
  /** `SELECT count(*)` over the same rows without paging, when the query asked for `total`. */
  total?: { sql: string; params: ParamValue[] };
  columns: OutputColumn[];
  annotation: Annotation;
  /** What was decided, for `inlay query --sql` and snapshot tests. */
  plan: PlanSummary;
  /**
   * The SQL depends on the instant it was compiled at (a relative date range was resolved). When
   * false, the same model, query and security always compile to this, whenever it is asked.
   */
  usesNow: boolean;
}

export interface PlanSummary {
  root: string;
  dataSource: string;
  /** Every cube the SQL reads (their refresh keys decide how long a cached answer stays fresh). */
  cubes: string[];
  joins: string[];
  multiplied: string[];
  timezone: string;
  roles: string[];
}

export const DEFAULT_LIMIT = 10_000;
export const DEFAULT_MAX_LIMIT = 50_000;

/** Semantic query to SQL and bound parameters for one dialect, with row-level security applied. */
export function compileQuery(
  model: SemanticModel,
  query: QueryInput | unknown,
  options: CompileOptions,
): CompiledQuery {
  const chosen = options.dialect;
  const dialectOf =
    typeof chosen === 'function' ? (ds: string) => getDialect(chosen(ds)) : getDialect(chosen);
  const clock = new Clock(options.now ?? new Date());
  const p = plan(model, query, dialectOf, options.security ?? {}, clock, limitsOf(options));
  return compilePlan(p, clock);
}

/** The row limits of a compilation: the options' own, else the defaults. */
export function limitsOf(options: Pick<CompileOptions, 'defaultLimit' | 'maxLimit'>): LimitOptions {
  return {
    defaultLimit: options.defaultLimit ?? DEFAULT_LIMIT,
    maxLimit: options.maxLimit ?? DEFAULT_MAX_LIMIT,
  };
}

/**
 * What a run plan answers when it is not the query as asked: a rollup's plan runs on the rollup
 * table, yet its answer must carry the asked query's columns and describe that query.
 */
export interface Answering {
  plan: Plan;
  columns: OutputColumn[];
}

/**
 * The one chain from a plan to SQL text: render the plan's statement tree, print it with the
 * plan's dialect, and describe the answer. `clock` is the one the plan (and, for a rollup, the
 * source plan) was made with: reading it is what makes the result depend on the instant. A caller
 * that has rendered `p` already passes that rendering on.
 */
export function compilePlan(
  p: Plan,
  clock: Clock,
  answering?: Answering,
  rendered: RenderedPlan = renderPlan(p),
): CompiledQuery {
  const { plan: asked, columns } = answering ?? { plan: p, columns: rendered.columns };
  const statement = answering
    ? renameOutputs(rendered.statement, rendered.columns, columns)
    : rendered.statement;
  const { dialect } = p.ctx;
  const printed = printStatement(statement, dialect);
  const out: CompiledQuery = {
    dataSource: asked.dataSource,
    sql: printed.sql,
    params: printed.params,
    columns,
    annotation: annotate(columns),
    plan: {
      root: asked.tree.root,
      dataSource: asked.dataSource,
      cubes: [...asked.tree.cubes].sort(),
      // How the SQL reads its rows: a rollup answer joins nothing and repeats no rows.
      joins: p.tree.edges.map((e) => `${e.parent} -> ${e.child} (${e.join.relationship})`),
      multiplied: [...p.tree.multiplied],
      timezone: asked.ctx.timezone,
      roles: asked.ctx.roles,
    },
    usesNow: false,
  };
  if (asked.query.total) out.total = totalQuery(rendered.unpaged, dialect);
  out.usesNow = clock.read;
  return out;
}

/** The outermost select's column aliases (and the ORDER BY that names them) as the asked query's. */
function renameOutputs(s: Statement, from: OutputColumn[], to: OutputColumn[]): Statement {
  if (from.length !== to.length) throw new Error("the answer's columns do not match the query");
  if (s.kind !== 'select') throw new Error('an answer in other columns is a single select');
  const alias = new Map(from.map((c, i) => [c.alias, to[i]!.alias]));
  const rename = (a: string) => alias.get(a) ?? a;
  return {
    ...s,
    columns: s.columns.map((c) => ({ ...c, alias: rename(c.alias) })),
    ...(s.orderBy ? { orderBy: s.orderBy.map((o) => ({ ...o, alias: rename(o.alias) })) } : {}),
  };
}

/** `SELECT count(*)` over a query's rows without paging: the answer's `total`. */
function totalQuery(unpaged: Statement, dialect: Dialect): { sql: string; params: ParamValue[] } {
  return printStatement(
    {
      kind: 'select',
      columns: [{ alias: 'total', expr: { kind: 'frag', parts: ['count(*)'] } }],
      from: { kind: 'select', select: unpaged, alias: '__total' },
    },
    dialect,
  );
}
