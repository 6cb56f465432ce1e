import type { Annotation, ParamValue, QueryInput, SecurityOptions } from '@inlay/core';
import { type Dialect, getDialect } from './dialects/index.js';
import type { SemanticModel } from './graph/types.js';
import type { OutputColumn } from './plan/columns.js';
import { type Plan, plan } from './plan/planner.js';
import { Renderer } from './plan/render.js';
import { buildStatements } from './plan/statements.js';
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
  const p: Plan = plan(model, query, dialectOf, options.security ?? {}, clock, {
    defaultLimit: options.defaultLimit ?? DEFAULT_LIMIT,
    maxLimit: options.maxLimit ?? DEFAULT_MAX_LIMIT,
  });
  const r = new Renderer(p.ctx);
  const built = buildStatements(p, r);
  const { dialect } = p.ctx;
  const printed = printStatement(built.statement, dialect);
  const out: CompiledQuery = {
    dataSource: p.dataSource,
    sql: printed.sql,
    params: printed.params,
    columns: built.columns,
    annotation: annotate(built.columns),
    plan: {
      root: p.tree.root,
      dataSource: p.dataSource,
      cubes: [...p.tree.cubes].sort(),
      joins: p.tree.edges.map((e) => `${e.parent} -> ${e.child} (${e.join.relationship})`),
      multiplied: [...p.tree.multiplied],
      timezone: p.ctx.timezone,
      roles: p.ctx.roles,
    },
    usesNow: false,
  };
  if (p.query.total) out.total = totalQuery(built.unpaged, dialect);
  out.usesNow = clock.read;
  return out;
}

/** `SELECT count(*)` over a query's rows without paging: the answer's `total`. */
export function totalQuery(unpaged: Statement, dialect: Dialect): { sql: string; params: ParamValue[] } {
  return printStatement(
    {
      kind: 'select',
      columns: [{ alias: 'total', expr: { kind: 'frag', parts: ['count(*)'] } }],
      from: { kind: 'select', select: unpaged, alias: '__total' },
    },
    dialect,
  );
}
