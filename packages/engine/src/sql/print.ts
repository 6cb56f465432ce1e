import type { ParamValue } from '@inlay/core';
import type { Dialect } from './dialect.js';
import type { Fragment, Part } from './fragment.js';
import type { FromItem, Select, Statement } from './tree.js';

export interface PrintedSql {
  sql: string;
  params: ParamValue[];
}

/** Prints a statement tree with a dialect. Values only ever become placeholders. */
export function printStatement(statement: Statement, dialect: Dialect): PrintedSql {
  const printer = new Printer(dialect);
  const text = printer.statement(statement, '');
  return { sql: text, params: printer.params };
}

export function printFragment(f: Fragment, dialect: Dialect): PrintedSql {
  const printer = new Printer(dialect);
  return { sql: printer.fragment(f), params: printer.params };
}

class Printer {
  readonly params: ParamValue[] = [];
  constructor(private readonly dialect: Dialect) {}

  fragment(f: Fragment): string {
    let out = '';
    for (const part of f.parts) out += this.part(part);
    return out;
  }

  private part(p: Part): string {
    if (typeof p === 'string') return p;
    switch (p.kind) {
      case 'frag':
        return this.fragment(p);
      case 'ident':
        return this.dialect.quoteIdentifier(p.name);
      case 'param':
        this.params.push(p.value);
        return this.dialect.placeholder(this.params.length);
    }
  }

  statement(s: Statement, indent: string): string {
    if (s.kind === 'union') {
      const sep = `\n${indent}${s.all ? 'UNION ALL' : 'UNION'}\n${indent}`;
      return s.selects.map((sel) => this.select(sel, indent)).join(sep);
    }
    return this.select(s, indent);
  }

  private select(s: Select, indent: string): string {
    const q = (n: string) => this.dialect.quoteIdentifier(n);
    const nl = `\n${indent}`;
    const lines: string[] = [];
    if (s.ctes?.length) {
      const ctes = s.ctes.map(
        (c) => `${q(c.name)} AS (${nl}  ${this.statement(c.statement, `${indent}  `)}${nl})`,
      );
      lines.push(`WITH ${ctes.join(`,${nl}`)}`);
    }
    const cols = s.columns.map((c) => `${this.fragment(c.expr)} ${q(c.alias)}`);
    if (s.star) cols.unshift('*');
    lines.push(`SELECT ${s.distinct ? 'DISTINCT ' : ''}${cols.join(`,${nl}  `)}`);
    if (s.from) lines.push(`FROM ${this.fromItem(s.from, indent)}`);
    for (const j of s.joins ?? []) {
      const on = j.on ? ` ON ${this.fragment(j.on)}` : '';
      lines.push(`${j.type} JOIN ${this.fromItem(j.item, indent)}${on}`);
    }
    if (s.where) lines.push(`WHERE ${this.fragment(s.where)}`);
    if (s.groupBy?.length) lines.push(`GROUP BY ${s.groupBy.join(', ')}`);
    if (s.having) lines.push(`HAVING ${this.fragment(s.having)}`);
    if (s.orderBy?.length) {
      lines.push(`ORDER BY ${s.orderBy.map((o) => this.orderItem(s, o.alias, o.desc)).join(', ')}`);
    }
    const limit = this.dialect.limitClause(s.limit, s.offset || undefined);
    if (limit) lines.push(this.fragment(limit));
    return lines.join(nl);
  }

  private orderItem(s: Select, alias: string, desc: boolean): string {
    const d = this.dialect;
    const column = d.quoteIdentifier(alias);
    if (!d.orderItem) return `${column} ${d.orderDirection(desc)}`;
    // The column's own expression, since MySQL refuses an alias of an aggregate inside an expression.
    const c = s.columns.find((x) => x.alias === alias);
    return d.orderItem(column, desc, c ? `(${this.fragment(c.expr)})` : column);
  }

  private fromItem(item: FromItem, indent: string): string {
    const alias = this.dialect.quoteIdentifier(item.alias);
    if (item.kind === 'sql') return `${this.fragment(item.sql)} AS ${alias}`;
    return `(\n${indent}  ${this.statement(item.select, `${indent}  `)}\n${indent}) AS ${alias}`;
  }
}
