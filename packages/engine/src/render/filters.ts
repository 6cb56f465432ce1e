import { FILTER_OPERATORS, type Filter, type FilterOperator, InlayError, type ParamValue } from '@inlay/core';
import { preview } from '../plan/resolve.js';
import { and, type Fragment, joinFragments, or, param, sql } from '../sql/fragment.js';
import { resolveDateRange, resolveInstant } from '../time/date-range.js';
import type { Renderer } from './renderer.js';

/** What a filter compares: an expression, and the type its values must be read as. */
export interface FilterTarget {
  expr: Fragment;
  type: 'string' | 'number' | 'boolean' | 'time' | 'geo';
  name: string;
}

const MAX_VALUE_LENGTH = 65_536;
const NEEDS_NO_VALUES = new Set<FilterOperator>(['set', 'notSet']);
const SINGLE_VALUE = new Set<FilterOperator>([
  'gt',
  'gte',
  'lt',
  'lte',
  'beforeDate',
  'beforeOrOnDate',
  'afterDate',
  'afterOrOnDate',
]);
// Cube's operator names say what they compare: text (contains, startsWith, endsWith and their
// negations) or time (inDateRange, beforeDate, afterOrOnDate, …).
const STRING_ONLY = new Set(FILTER_OPERATORS.filter((op) => /contains|startsWith|endsWith/i.test(op)));
const TIME_ONLY = new Set(FILTER_OPERATORS.filter((op) => op.includes('Date')));

function invalid(message: string, path: string, hint?: string): InlayError {
  return new InlayError('QUERY_INVALID', message, { where: { path }, ...(hint ? { hint } : {}) });
}

/** Reads a filter value as the member's type; every value becomes a bound parameter. */
function typed(v: string | number | boolean, target: FilterTarget, path: string, r: Renderer): ParamValue {
  if (typeof v === 'string') {
    if (v.length > MAX_VALUE_LENGTH)
      throw invalid(`a filter value is ${v.length} characters long; the limit is ${MAX_VALUE_LENGTH}.`, path);
    if (v.includes('\u0000'))
      throw invalid(
        'a filter value contains a NUL character, which databases cannot compare.',
        path,
        'Remove the \\u0000 character.',
      );
  }
  switch (target.type) {
    case 'number': {
      const n = typeof v === 'number' ? v : Number(v);
      if (typeof v === 'boolean' || (typeof v === 'string' && v.trim() === '') || !Number.isFinite(n)) {
        throw invalid(`'${target.name}' is a number, and ${preview(v)} is not.`, path);
      }
      return n;
    }
    case 'boolean': {
      if (v === true || v === 'true' || v === 1 || v === '1') return true;
      if (v === false || v === 'false' || v === 0 || v === '0') return false;
      throw invalid(`'${target.name}' is a boolean; use true or false, not ${preview(v)}.`, path);
    }
    case 'time':
      return { kind: 'timestamp', utc: resolveInstant(String(v), r.ctx.timezone, path) };
    default:
      return String(v);
  }
}

function likePattern(v: string, op: FilterOperator): string {
  const escaped = v.replace(/[\\%_]/g, (c) => `\\${c}`);
  if (op.endsWith('ontains')) return `%${escaped}%`;
  if (op.endsWith('tartsWith')) return `${escaped}%`;
  return `%${escaped}`;
}

/** One member filter as SQL; Cube's semantics, incl. NULL rows kept by the negative operators. */
export function memberFilterSql(
  r: Renderer,
  target: FilterTarget,
  operator: FilterOperator,
  values: readonly (string | number | boolean)[] | undefined,
  path: string,
): Fragment {
  const x = target.expr;
  const vals = values ?? [];
  if (NEEDS_NO_VALUES.has(operator)) return operator === 'set' ? sql`${x} IS NOT NULL` : sql`${x} IS NULL`;
  if (vals.length === 0)
    throw invalid(
      `'${operator}' on '${target.name}' needs at least one value.`,
      `${path}.values`,
      'Use `set`/`notSet` to test for NULL.',
    );
  if (SINGLE_VALUE.has(operator) && vals.length !== 1)
    throw invalid(`'${operator}' takes exactly one value.`, `${path}.values`);
  if (STRING_ONLY.has(operator) && target.type !== 'string') {
    throw invalid(
      `'${operator}' compares text, but '${target.name}' is a ${target.type}.`,
      path,
      'Use equals, gt, lt … for numbers and times.',
    );
  }
  if (TIME_ONLY.has(operator) && target.type !== 'time')
    throw invalid(`'${operator}' needs a time dimension; '${target.name}' is a ${target.type}.`, path);
  const p = (v: string | number | boolean, i: number) => {
    const value = typed(v, target, `${path}.values[${i}]`, r);
    if (typeof value === 'object' && value !== null) return r.timeParam(value.utc);
    return typeof value === 'number'
      ? r.ctx.dialect.numberParam(sql`${param(value)}`, value)
      : sql`${param(value)}`;
  };
  switch (operator) {
    case 'equals':
      return vals.length === 1
        ? sql`${x} = ${p(vals[0]!, 0)}`
        : sql`${x} IN (${joinFragments(vals.map(p), ', ')})`;
    case 'notEquals': {
      const cmp =
        vals.length === 1
          ? sql`${x} <> ${p(vals[0]!, 0)}`
          : sql`${x} NOT IN (${joinFragments(vals.map(p), ', ')})`;
      return sql`(${cmp} OR ${x} IS NULL)`;
    }
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return or(
        vals.map((v, i) =>
          r.ctx.dialect.ilike(
            x,
            sql`${param(likePattern(String(typed(v, target, `${path}.values[${i}]`, r)), operator))}`,
          ),
        ),
      )!;
    case 'notContains':
    case 'notStartsWith':
    case 'notEndsWith': {
      const none = and(
        vals.map(
          (v, i) =>
            sql`NOT (${r.ctx.dialect.ilike(x, sql`${param(likePattern(String(typed(v, target, `${path}.values[${i}]`, r)), operator))}`)})`,
        ),
      )!;
      return sql`(${none} OR ${x} IS NULL)`;
    }
    case 'gt':
      return sql`${x} > ${p(vals[0]!, 0)}`;
    case 'gte':
      return sql`${x} >= ${p(vals[0]!, 0)}`;
    case 'lt':
      return sql`${x} < ${p(vals[0]!, 0)}`;
    case 'lte':
      return sql`${x} <= ${p(vals[0]!, 0)}`;
    case 'beforeDate':
      return sql`${x} < ${p(vals[0]!, 0)}`;
    case 'beforeOrOnDate':
      return sql`${x} <= ${p(vals[0]!, 0)}`;
    case 'afterDate':
      return sql`${x} > ${p(vals[0]!, 0)}`;
    case 'afterOrOnDate':
      return sql`${x} >= ${p(vals[0]!, 0)}`;
    case 'inDateRange':
    case 'notInDateRange': {
      const range = dateRangeOf(r, vals, path);
      return operator === 'inDateRange'
        ? sql`${x} >= ${r.timeParam(range.start)} AND ${x} < ${r.timeParam(range.end)}`
        : sql`(${x} < ${r.timeParam(range.start)} OR ${x} >= ${r.timeParam(range.end)})`;
    }
    default:
      throw invalid(`unknown operator '${operator as string}'.`, path);
  }
}

function dateRangeOf(r: Renderer, vals: readonly (string | number | boolean)[], path: string) {
  const strings = vals.map(String);
  if (strings.length === 1)
    return resolveDateRange(strings[0]!, r.ctx.timezone, r.ctx.clock.now, `${path}.values`);
  if (strings.length === 2)
    return resolveDateRange(strings, r.ctx.timezone, r.ctx.clock.now, `${path}.values`);
  throw invalid(
    'a date range filter takes [start, end] or one relative range such as "last 7 days".',
    `${path}.values`,
  );
}

/** A filter tree whose leaves the caller renders (dimension leaves in WHERE, measure leaves after aggregation). */
export function filterTreeSql(
  f: Filter,
  path: string,
  leaf: (
    member: string,
    operator: FilterOperator,
    values: (string | number | boolean)[] | undefined,
    path: string,
  ) => Fragment,
): Fragment {
  if ('and' in f) return and(f.and.map((x, i) => filterTreeSql(x, `${path}.and[${i}]`, leaf)))!;
  if ('or' in f) return or(f.or.map((x, i) => filterTreeSql(x, `${path}.or[${i}]`, leaf)))!;
  return leaf(f.member, f.operator, f.values, path);
}
