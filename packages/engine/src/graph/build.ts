import { type AccessPolicySpec, InlayError, type PolicyFilter } from '@inlay/core';
import { checkRollups } from '../rollups/define.js';
import { type Duration, parseDuration } from '../time/duration.js';
import type { ProblemList } from '../validate/errors.js';
import { didYouMean } from '../validate/suggest.js';
import type { CubeSource, Located } from './specs.js';
import { parseTemplate, type TemplateScope } from './template.js';
import type {
  CubeDef,
  CustomGranularity,
  DimensionDef,
  JoinDef,
  Location,
  MeasureDef,
  PolicyDef,
  Relationship,
  RollingWindow,
  SegmentDef,
  Template,
} from './types.js';

const RELATIONSHIP: Record<string, Relationship> = {
  one_to_one: 'one_to_one',
  has_one: 'one_to_one',
  hasOne: 'one_to_one',
  one_to_many: 'one_to_many',
  has_many: 'one_to_many',
  hasMany: 'one_to_many',
  many_to_one: 'many_to_one',
  belongs_to: 'many_to_one',
  belongsTo: 'many_to_one',
};

export function humanize(name: string): string {
  const words = name.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Builds every cube: templates parsed against the whole model, so references are checked here. */
export function buildCubes(sources: Map<string, CubeSource>, problems: ProblemList): Map<string, CubeDef> {
  const memberNames = new Map<string, Set<string>>();
  for (const [name, s] of sources) {
    memberNames.set(name, new Set([...s.dimensions, ...s.measures, ...s.segments].map((m) => m.spec.name)));
  }
  const cubes = new Map<string, CubeDef>();
  for (const [name, source] of sources) {
    const scopeFor = (loc: Location, member?: string): TemplateScope => ({
      cube: name,
      loc,
      ...(member ? { member } : {}),
      hasOwnMember: (m) => memberNames.get(name)!.has(m),
      hasCube: (c) => sources.has(c),
      hasMember: (c, m) => memberNames.get(c)?.has(m) ?? false,
      known: (c) => (c ? (memberNames.get(c) ?? []) : [...memberNames.get(name)!, ...sources.keys()]),
    });
    const tpl = (text: string, loc: Location, member?: string, bareColumn = true): Template | undefined => {
      try {
        return parseTemplate(text, scopeFor(loc, member), bareColumn);
      } catch (e) {
        if (e instanceof InlayError) problems.add(e);
        else throw e;
        return undefined;
      }
    };
    const cubeTitle = source.spec.title ?? humanize(name);
    const fromText = source.spec.sql_table ?? (source.spec.sql ? `(${source.spec.sql})` : undefined);
    if (!fromText) {
      problems.add(
        new InlayError('MODEL_INVALID', 'has neither sql_table nor sql.', {
          where: { ...source.loc, cube: name },
          hint: 'Add `sql_table: schema.table` or `sql: SELECT …`.',
        }),
      );
      continue;
    }
    const from = tpl(fromText, source.loc, undefined, false) ?? { source: fromText, parts: [fromText] };

    const dimensions = new Map<string, DimensionDef>();
    for (const { spec, loc } of source.dimensions) {
      const d = spec;
      const sql = d.sql ? tpl(d.sql, loc, d.name) : undefined;
      if (!sql && !d.case && d.type !== 'geo') {
        problems.add(
          new InlayError('MODEL_INVALID', 'needs `sql` (or `case`).', {
            where: { ...loc, cube: name, member: d.name },
          }),
        );
      }
      if (d.propagate_filters_to_sub_query) {
        problems.add(
          new InlayError('MODEL_INVALID', 'propagate_filters_to_sub_query is not supported yet.', {
            where: { ...loc, cube: name, member: d.name },
            hint: 'Remove it: the sub-query is computed over all rows of the joined cubes.',
          }),
        );
      }
      const granularities = new Map<string, CustomGranularity>();
      for (const g of d.granularities ?? []) {
        try {
          granularities.set(g.name, {
            name: g.name,
            title: g.title ?? humanize(g.name),
            interval: parseDuration(g.interval),
            ...(g.offset ? { offset: parseDuration(g.offset) } : {}),
            ...(g.origin ? { origin: g.origin } : {}),
          });
        } catch (e) {
          problems.add(
            new InlayError('MODEL_INVALID', `granularity '${g.name}': ${(e as Error).message}`, {
              where: { ...loc, cube: name, member: d.name },
            }),
          );
        }
      }
      const label = (l: string | { sql: string }) => (typeof l === 'string' ? l : tpl(l.sql, loc, d.name));
      const caseWhen = d.case
        ? {
            when: d.case.when.map((w) => ({ sql: tpl(w.sql, loc, d.name)!, label: label(w.label)! })),
            ...(d.case.else ? { else: label(d.case.else.label)! } : {}),
          }
        : undefined;
      dimensions.set(d.name, {
        kind: 'dimension',
        cube: name,
        name: d.name,
        type: d.type,
        ...(sql ? { sql } : {}),
        primaryKey: d.primary_key ?? false,
        subQuery: d.sub_query ?? false,
        ...(caseWhen ? { caseWhen } : {}),
        granularities,
        ...(d.latitude ? { latitude: tpl(d.latitude.sql, loc, d.name)! } : {}),
        ...(d.longitude ? { longitude: tpl(d.longitude.sql, loc, d.name)! } : {}),
        ...described(d, `${cubeTitle} ${d.title ?? humanize(d.name)}`, d.title ?? humanize(d.name), loc),
      });
    }

    const measures = new Map<string, MeasureDef>();
    for (const { spec: m, loc } of source.measures) {
      if (!m.sql && m.type !== 'count') {
        problems.add(
          new InlayError('MODEL_INVALID', `a ${m.type} measure needs \`sql\`.`, {
            where: { ...loc, cube: name, member: m.name },
          }),
        );
        continue;
      }
      let rollingWindow: RollingWindow | undefined;
      if (m.rolling_window) {
        try {
          const w = m.rolling_window;
          const bound = (v: string | undefined) =>
            v === undefined
              ? undefined
              : v === 'unbounded'
                ? ('unbounded' as const)
                : single(parseDuration(v));
          const trailing = bound(w.trailing);
          const leading = bound(w.leading);
          rollingWindow = {
            ...(trailing ? { trailing } : {}),
            ...(leading ? { leading } : {}),
            offset: w.offset ?? 'end',
          };
        } catch (e) {
          problems.add(
            new InlayError('MODEL_INVALID', `rolling_window: ${(e as Error).message}`, {
              where: { ...loc, cube: name, member: m.name },
            }),
          );
        }
      }
      measures.set(m.name, {
        kind: 'measure',
        cube: name,
        name: m.name,
        type: m.type,
        ...(m.sql ? { sql: tpl(m.sql, loc, m.name)! } : {}),
        filters: (m.filters ?? []).map((f) => tpl(f.sql, loc, m.name)!).filter(Boolean),
        ...(rollingWindow ? { rollingWindow } : {}),
        ...described(m, `${cubeTitle} ${m.title ?? humanize(m.name)}`, m.title ?? humanize(m.name), loc),
      });
    }

    const segments = new Map<string, SegmentDef>();
    for (const { spec: s, loc } of source.segments) {
      const sql = tpl(s.sql, loc, s.name);
      if (sql) {
        segments.set(s.name, {
          kind: 'segment',
          cube: name,
          name: s.name,
          sql,
          ...described(s, `${cubeTitle} ${s.title ?? humanize(s.name)}`, s.title ?? humanize(s.name), loc),
        });
      }
    }

    const joins = new Map<string, JoinDef>();
    for (const { spec: j, loc } of source.joins) {
      if (!sources.has(j.name)) {
        problems.add(
          new InlayError('MODEL_INVALID', `joins unknown cube '${j.name}'.`, {
            where: { ...loc, cube: name },
            ...hintOf(didYouMean(j.name, sources.keys())),
          }),
        );
        continue;
      }
      const on = tpl(j.sql, loc);
      if (on)
        joins.set(j.name, { from: name, to: j.name, relationship: RELATIONSHIP[j.relationship]!, on, loc });
    }

    const policies = source.policies?.map((p) => buildPolicy(p, tpl));
    cubes.set(name, {
      kind: 'cube',
      name,
      from,
      dataSource: source.spec.data_source ?? 'default',
      title: cubeTitle,
      ...(source.spec.description ? { description: source.spec.description } : {}),
      ...(source.spec.meta ? { meta: source.spec.meta } : {}),
      markedPublic: source.spec.public === true,
      public: source.spec.public ?? true,
      dimensions,
      measures,
      segments,
      joins,
      primaryKeys: [...dimensions.values()].filter((d) => d.primaryKey).map((d) => d.name),
      ...(policies ? { policies } : {}),
      preAggregations: source.spec.pre_aggregations ?? [],
      ...(source.spec.refresh_key ? { refreshKey: source.spec.refresh_key } : {}),
      loc: source.loc,
    });
  }
  checkCycles(cubes, problems);
  // Rollups are planned like queries, which needs every cube sound first.
  if (problems.items.length === 0) checkRollups(cubes, problems);
  return cubes;
}

function single(parts: Duration[]): Duration {
  if (parts.length !== 1) throw new Error('use one unit, e.g. "7 day"');
  return parts[0]!;
}

function hintOf(h: string | undefined): { hint?: string } {
  return h ? { hint: h } : {};
}

function described(
  spec: {
    title?: string;
    description?: string;
    meta?: Record<string, unknown>;
    public?: boolean;
    shown?: boolean;
    format?: string;
  },
  title: string,
  shortTitle: string,
  loc: Location,
) {
  return {
    title,
    shortTitle,
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.meta ? { meta: spec.meta } : {}),
    ...(spec.format ? { format: spec.format } : {}),
    public: spec.public ?? spec.shown ?? true,
    loc,
  };
}

export function buildPolicy(
  p: Located<AccessPolicySpec>,
  tpl: (text: string, loc: Location) => Template | undefined,
): PolicyDef {
  const { spec, loc } = p;
  const list = (v: '*' | string[] | undefined, dflt: '*' | Set<string>) =>
    v === undefined ? dflt : v === '*' ? '*' : new Set(v);
  const rl = spec.row_level;
  const allRows = !rl || rl.allow_all === true || !rl.filters;
  return {
    role: spec.role,
    conditions: (spec.conditions ?? []).map((c) =>
      typeof c.if === 'boolean' ? c.if : (tpl(c.if, loc) ?? false),
    ),
    includes: list(spec.member_level?.includes, '*') as '*' | Set<string>,
    excludes: (() => {
      const e = list(spec.member_level?.excludes, new Set());
      return e === '*' ? new Set<string>(['*']) : e;
    })(),
    ...(allRows ? {} : { rowFilters: rl!.filters as PolicyFilter[] }),
    loc,
  };
}

/** A member whose SQL refers back to itself would recurse forever at query time. */
function checkCycles(cubes: Map<string, CubeDef>, problems: ProblemList): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const templatesOf = (cube: CubeDef, member: string): Template[] => {
    const d = cube.dimensions.get(member);
    if (d)
      return [d.sql, d.latitude, d.longitude, ...(d.caseWhen?.when.map((w) => w.sql) ?? [])].filter(
        (t): t is Template => !!t,
      );
    const m = cube.measures.get(member);
    if (m) return [m.sql, ...m.filters].filter((t): t is Template => !!t);
    const s = cube.segments.get(member);
    return s ? [s.sql] : [];
  };
  const visit = (cube: string, member: string, trail: string[]): void => {
    const key = `${cube}.${member}`;
    if (state.get(key) === 'done') return;
    if (state.get(key) === 'visiting') {
      const c = cubes.get(cube)!;
      const def = c.dimensions.get(member) ?? c.measures.get(member) ?? c.segments.get(member);
      problems.add(
        new InlayError('MODEL_INVALID', `circular reference: ${[...trail, key].join(' -> ')}.`, {
          where: { ...(def?.loc ?? c.loc), cube, member },
        }),
      );
      return;
    }
    state.set(key, 'visiting');
    const c = cubes.get(cube);
    if (c) {
      for (const t of templatesOf(c, member)) {
        for (const part of t.parts) {
          if (typeof part !== 'string' && part.ref === 'member')
            visit(part.cube, part.member, [...trail, key]);
        }
      }
    }
    state.set(key, 'done');
  };
  for (const c of cubes.values()) {
    for (const m of [...c.dimensions.keys(), ...c.measures.keys(), ...c.segments.keys()])
      visit(c.name, m, []);
  }
}
