import { InlayError } from '@inlay/core';
import type { CubeDef, DimensionDef, MeasureDef, SemanticModel, Template } from '../graph/types.js';
import { type CompileContext, securityList } from '../plan/context.js';
import { type Fragment, frag, ident, joinFragments, type Part, param, sql } from '../sql/fragment.js';

/** Renders a measure that another (`number`) measure refers to. */
export type LeafRenderer = (cube: CubeDef, measure: MeasureDef) => Fragment;

/** Turns model templates into SQL fragments for one compilation. */
export class Renderer {
  /** Sub-query dimensions the statement must join, by alias. */
  readonly subQueries = new Map<string, { cube: CubeDef; dim: DimensionDef }>();

  private readonly memo = new Map<string, unknown>();

  constructor(readonly ctx: CompileContext) {}

  /** Computes a fragment once per compilation (sub-selects of one query share WHERE and FROM). */
  once<T>(key: string, make: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, make());
    return this.memo.get(key) as T;
  }

  cube(name: string): CubeDef {
    return this.ctx.model.cubes.get(name)!;
  }

  template(t: Template, leaf?: LeafRenderer): Fragment {
    const parts: Part[] = [];
    for (const p of t.parts) {
      if (typeof p === 'string') parts.push(p);
      else if (p.ref === 'cube') parts.push(ident(p.cube));
      else if (p.ref === 'column') parts.push(ident(p.name));
      else if (p.ref === 'security') parts.push(this.securityParams(p.path));
      else {
        const cube = this.cube(p.cube);
        const dim = cube.dimensions.get(p.member);
        if (dim) {
          parts.push('(', this.dimension(cube, dim), ')');
          continue;
        }
        const seg = cube.segments.get(p.member);
        if (seg) {
          parts.push('(', this.template(seg.sql), ')');
          continue;
        }
        const m = cube.measures.get(p.member)!;
        if (!leaf) {
          throw new InlayError(
            'MODEL_INVALID',
            `refers to measure '${p.cube}.${p.member}' where only dimensions are allowed.`,
            {
              where: { file: m.loc.file, cube: p.cube },
              hint: 'A dimension that needs a measure must be a `sub_query: true` dimension.',
            },
          );
        }
        parts.push('(', this.measure(cube, m, leaf), ')');
      }
    }
    return frag(parts);
  }

  /** A dimension's value per row (time dimensions in stored UTC). */
  dimension(cube: CubeDef, d: DimensionDef): Fragment {
    if (d.subQuery) {
      const alias = `${cube.name}__${d.name}`;
      this.subQueries.set(alias, { cube, dim: d });
      return sql`${ident(alias)}.${ident('value')}`;
    }
    if (d.caseWhen) {
      const label = (l: string | Template) =>
        typeof l === 'string' ? frag([quoteLiteral(l)]) : this.template(l);
      const whens = d.caseWhen.when.map((w) => sql` WHEN ${this.template(w.sql)} THEN ${label(w.label)}`);
      const otherwise = d.caseWhen.else === undefined ? frag([]) : sql` ELSE ${label(d.caseWhen.else)}`;
      return sql`CASE${frag(whens)}${otherwise} END`;
    }
    if (d.type === 'geo' && d.latitude && d.longitude) {
      const { castToText } = this.ctx.dialect;
      return sql`${castToText(this.template(d.latitude))} || ',' || ${castToText(this.template(d.longitude))}`;
    }
    return this.template(d.sql!);
  }

  /** A measure as an aggregate; `number` measures combine their parts through `leaf`. */
  measure(cube: CubeDef, m: MeasureDef, leaf: LeafRenderer): Fragment {
    if (isComposite(this.ctx.model, m)) return this.template(m.sql!, leaf);
    return leaf(cube, m);
  }

  /** The aggregate of one non-composite measure over the rows in scope. */
  aggregate(cube: CubeDef, m: MeasureDef): Fragment {
    const { dialect } = this.ctx;
    const cond = m.filters.length ? m.filters.map((f) => this.template(f)) : undefined;
    const when = (value: Fragment): Fragment => {
      if (!cond) return value;
      const all =
        cond.length === 1
          ? cond[0]!
          : frag(['(', ...cond.flatMap((c, i) => (i ? [') AND (', c] : [c])), ')']);
      return sql`CASE WHEN ${all} THEN ${value} END`;
    };
    const value = () => this.template(m.sql!);
    switch (m.type) {
      case 'count': {
        if (m.sql) return sql`count(${when(value())})`;
        const pk = this.primaryKey(cube);
        if (pk) return sql`count(${when(pk)})`;
        return cond ? sql`count(${when(frag(['1']))})` : frag(['count(*)']);
      }
      case 'count_distinct':
        return sql`count(DISTINCT ${when(value())})`;
      case 'count_distinct_approx':
        return dialect.countDistinctApprox(when(value()));
      case 'sum':
      case 'avg':
      case 'min':
      case 'max':
        return sql`${m.type}(${when(value())})`;
      default:
        // number/string/time/boolean without measure references: the SQL is the aggregate itself.
        return this.template(m.sql!, (c, inner) => this.aggregate(c, inner));
    }
  }

  /** A measure's per-row value, for `ungrouped` queries. */
  measureRaw(m: MeasureDef): Fragment {
    if (m.type === 'count') return m.sql ? this.template(m.sql) : frag(['1']);
    if (!m.sql) return frag(['NULL']);
    return this.template(m.sql, (_c, inner) => this.measureRaw(inner));
  }

  primaryKey(cube: CubeDef): Fragment | undefined {
    const pk = cube.primaryKeys[0];
    return pk ? this.dimension(cube, cube.dimensions.get(pk)!) : undefined;
  }

  /** Security-context values as bound parameters: one for a scalar, a comma list for an array. */
  securityParams(path: readonly string[]): Fragment {
    return joinFragments(
      securityList(this.ctx, path).map((x) => param(x)),
      ', ',
    );
  }

  timeParam(utc: string): Fragment {
    return this.ctx.dialect.timestampParam(frag([param({ kind: 'timestamp', utc })]));
  }
}

/** A `number` (or other non-additive) measure built from other measures. */
export function isComposite(model: SemanticModel, m: MeasureDef): boolean {
  if (!m.sql || !['number', 'string', 'time', 'boolean'].includes(m.type)) return false;
  return m.sql.parts.some(
    (p) => typeof p !== 'string' && p.ref === 'member' && model.cubes.get(p.cube)!.measures.has(p.member),
  );
}

/** The non-composite measures a measure is computed from (itself when it is one). */
export function leafMeasures(
  model: SemanticModel,
  cube: CubeDef,
  m: MeasureDef,
  out: [CubeDef, MeasureDef][] = [],
): [CubeDef, MeasureDef][] {
  if (!isComposite(model, m)) {
    if (!out.some(([c, x]) => c === cube && x === m)) out.push([cube, m]);
    return out;
  }
  for (const p of m.sql!.parts) {
    if (typeof p === 'string' || p.ref !== 'member') continue;
    const c = model.cubes.get(p.cube)!;
    const inner = c.measures.get(p.member);
    if (inner) leafMeasures(model, c, inner, out);
  }
  return out;
}

/** A string literal from the model (never from a request), e.g. a `case` label. */
export function quoteLiteral(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
