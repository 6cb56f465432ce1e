/**
 * What QuestDB's SQL over the PostgreSQL wire protocol refuses or reads differently
 * (shared/reference/questdb.md), as checks on generated SQL text and parameters.
 */
import type { ParamValue } from '@inlay/core';

/** Constructs QuestDB rejects or evaluates differently, each with what the dialect does instead. */
const FORBIDDEN: [RegExp, string][] = [
  [/\bHAVING\b/i, 'HAVING (filter in a wrapping select)'],
  [/\bOFFSET\b/i, 'OFFSET (LIMIT lo, hi)'],
  [/\bNULLS\s+(FIRST|LAST)\b/i, 'NULLS FIRST/LAST'],
  [/\bFETCH\s+FIRST\b/i, 'FETCH FIRST'],
  [/::/, ':: cast'],
  [/\bCAST\s*\(\s*\(?\s*\$\d+/i, 'cast of a parameter'],
  [/\bINTERVAL\b/i, 'INTERVAL literal (dateadd)'],
  [/\bAT\s+TIME\s+ZONE\b/i, 'AT TIME ZONE (to_timezone)'],
  [/\bIS\s+(NOT\s+)?DISTINCT\s+FROM\b/i, 'IS DISTINCT FROM'],
  [/\bFILTER\s*\(\s*WHERE\b/i, 'aggregate FILTER (WHERE …)'],
  [/=\s*ANY\s*\(/i, '= ANY(…) (IN ($1, …))'],
  [/\bARRAY\s*\[/i, 'ARRAY[…]'],
  [/\bBETWEEN\b/i, 'BETWEEN'],
  [/\bEXISTS\b/i, 'EXISTS'],
  [/\bRECURSIVE\b/i, 'WITH RECURSIVE'],
  [/\bDISTINCT\s+ON\b/i, 'DISTINCT ON'],
  [/\bROLLUP\b|\bGROUPING\s+SETS\b/i, 'ROLLUP / GROUPING SETS'],
  [/\bVALUES\b/i, 'VALUES table'],
  [/\bUSING\s*\(/i, 'JOIN … USING'],
  [/\bpercentile_(cont|disc)\b|\bmedian\s*\(/i, 'percentile_cont/disc, median'],
  [/\bOVER\s*\(/i, 'window function'],
  [/\bAS\s+(float|real|date)\s*\)/i, 'cast to float/real/date'],
  [/\btimestamp_floor\s*\(\s*\$|\bSAMPLE\s+BY\s+\$/i, 'unit as a parameter'],
  [/;/, 'several statements'],
];

const UNITS = new Set(['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year']);
const CLAUSE = /^\s*(FROM|WHERE|GROUP BY|ORDER BY|LIMIT|UNION|LEFT|INNER|RIGHT|FULL|CROSS|WITH)\b|^\s*\)/;
const NAIVE_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/;

/** Splits at commas outside parentheses and quotes. */
function topLevelItems(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      items.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  items.push(text.slice(start).trim());
  return items;
}

/** Select-list items that carry no `"alias"` of their own (the printer starts each clause on a line). */
export function unaliasedColumns(sql: string): string[] {
  const bad: string[] = [];
  const lines = sql.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*SELECT (?:DISTINCT )?(.*)$/.exec(lines[i]!);
    if (!m) continue;
    const list = [m[1]!];
    while (i + 1 < lines.length && !CLAUSE.test(lines[i + 1]!)) list.push(lines[++i]!.trim());
    for (const item of topLevelItems(list.join(' '))) {
      if (item !== '*' && !/\S\s+"[^"]+"$/.test(item)) bad.push(item);
    }
  }
  return bad;
}

/** Aliases of the outermost select list, in order. */
export function outputAliases(sql: string): string[] {
  const lines = sql.split('\n');
  const start = lines.findIndex((l) => l.startsWith('SELECT '));
  const out: string[] = [];
  for (let i = start; i < lines.length && (i === start || !CLAUSE.test(lines[i]!)); i++) {
    const m = /\s"([^"]+)",?$/.exec(lines[i]!);
    if (m) out.push(m[1]!);
  }
  return out;
}

/** Every problem QuestDB would have with this statement; empty when it is fine. */
export function questdbProblems(
  sql: string,
  params: readonly ParamValue[],
  opts: { ordered?: boolean } = {},
): string[] {
  const problems: string[] = [];
  for (const [re, what] of FORBIDDEN) if (re.test(sql)) problems.push(what);

  for (const m of sql.matchAll(/date_trunc\(\s*([^,]*),/gi)) {
    const unit = /^'([a-z]+)'$/.exec(m[1]!.trim())?.[1];
    if (!unit || !UNITS.has(unit)) problems.push(`date_trunc unit ${m[1]}`);
  }
  for (const m of sql.matchAll(/dateadd\(([^,]*),([^,]*),/gi)) {
    if (!/^'[smhdwMy]'$/.test(m[1]!.trim()) || !/^-?\d+$/.test(m[2]!.trim())) {
      problems.push(`dateadd(${m[1]},${m[2]}, …)`);
    }
  }
  // Subqueries only where QuestDB takes them: FROM/JOIN (…), IN (SELECT …), a CTE's AS (…).
  for (const m of sql.matchAll(/(\S+)\s*\(\s*SELECT\b/gi)) {
    if (!/^(FROM|JOIN|IN|AS)$/i.test(m[1]!)) problems.push(`subquery after ${m[1]}`);
  }

  const used = new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  for (let i = 1; i <= params.length; i++) if (!used.has(i)) problems.push(`$${i} unused`);
  for (const n of used) if (n < 1 || n > params.length) problems.push(`$${n} has no value`);
  params.forEach((p, i) => {
    if (p !== null && typeof p === 'object' && !NAIVE_ISO.test(p.utc)) {
      problems.push(`$${i + 1} timestamp '${p.utc}'`);
    }
    if (typeof p === 'number' && !Number.isFinite(p)) problems.push(`$${i + 1} is ${p}`);
  });

  for (const item of unaliasedColumns(sql)) problems.push(`unaliased column: ${item}`);
  if (opts.ordered !== false && !/^ORDER BY /m.test(sql)) problems.push('no ORDER BY on the outer select');

  const limit = /^LIMIT \$(\d+)(?:, \$(\d+))?$/m.exec(sql);
  if (limit) {
    const [lo, hi] = [limit[1], limit[2]].map((n) => (n === undefined ? undefined : params[Number(n) - 1]));
    if (!Number.isInteger(lo)) problems.push('LIMIT value is not an integer');
    if (hi !== undefined && !(Number.isInteger(hi) && (hi as number) >= (lo as number))) {
      problems.push('LIMIT lo, hi with hi < lo');
    }
  }
  return problems;
}
