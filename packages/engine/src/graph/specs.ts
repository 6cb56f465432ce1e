import {
  type AccessPolicySpec,
  type CubeSpec,
  type DimensionSpec,
  InlayError,
  type JoinSpec,
  type MeasureSpec,
  type SegmentSpec,
  type ViewSpec,
} from '@inlay/core';
import type { ParsedFile } from '../model-files/parse.js';
import type { ProblemList } from '../validate/errors.js';
import { didYouMean } from '../validate/suggest.js';
import type { Location } from './types.js';

/** A spec item together with the file and line it was written at. */
export interface Located<T> {
  spec: T;
  loc: Location;
}

/** A cube after `extends` is applied: each member still knows where it was written. */
export interface CubeSource {
  name: string;
  spec: CubeSpec;
  loc: Location;
  dimensions: Located<DimensionSpec>[];
  measures: Located<MeasureSpec>[];
  segments: Located<SegmentSpec>[];
  joins: Located<JoinSpec>[];
  policies?: Located<AccessPolicySpec>[];
}

export interface ViewSource {
  name: string;
  spec: ViewSpec;
  loc: Location;
  policies?: Located<AccessPolicySpec>[];
}

type Section = 'dimensions' | 'measures' | 'segments' | 'joins' | 'access_policy';

export function collectSources(
  files: { parsed: ParsedFile; cubes: CubeSpec[]; views: ViewSpec[] }[],
  problems: ProblemList,
): { cubes: Map<string, CubeSource>; views: Map<string, ViewSource> } {
  const raw = new Map<string, CubeSource>();
  const views = new Map<string, ViewSource>();
  const seen = new Map<string, Location>();
  const locate = (parsed: ParsedFile, path: (string | number)[]): Location => {
    const line = parsed.lineOf(path);
    return line ? { file: parsed.path, line } : { file: parsed.path };
  };
  const duplicate = (name: string, loc: Location) => {
    const first = seen.get(name);
    if (first) {
      problems.add(
        new InlayError(
          'MODEL_INVALID',
          `'${name}' is defined twice (first at ${first.file}:${first.line ?? '?'}).`,
          {
            where: { ...loc, cube: name },
            hint: 'Cube and view names share one namespace; rename one.',
          },
        ),
      );
      return true;
    }
    seen.set(name, loc);
    return false;
  };

  for (const { parsed, cubes, views: viewSpecs } of files) {
    cubes.forEach((spec, i) => {
      const base = ['cubes', i];
      const loc = locate(parsed, [...base, 'name']);
      if (duplicate(spec.name, loc)) return;
      const items = <T>(section: Section, list: T[] | undefined) =>
        (list ?? []).map((s, j) => ({ spec: s, loc: locate(parsed, [...base, section, j]) }));
      raw.set(spec.name, {
        name: spec.name,
        spec,
        loc,
        dimensions: items('dimensions', spec.dimensions),
        measures: items('measures', spec.measures),
        segments: items('segments', spec.segments),
        joins: items('joins', spec.joins),
        ...(spec.access_policy ? { policies: items('access_policy', spec.access_policy) } : {}),
      });
    });
    viewSpecs.forEach((spec, i) => {
      const base = ['views', i];
      const loc = locate(parsed, [...base, 'name']);
      if (duplicate(spec.name, loc)) return;
      const policies = spec.access_policy?.map((p, j) => ({
        spec: p,
        loc: locate(parsed, [...base, 'access_policy', j]),
      }));
      views.set(spec.name, { name: spec.name, spec, loc, ...(policies ? { policies } : {}) });
    });
  }

  const cubes = new Map<string, CubeSource>();
  for (const name of raw.keys()) {
    const resolved = applyExtends(name, raw, cubes, problems, []);
    if (resolved) cubes.set(name, resolved);
  }
  return { cubes, views };
}

/** Merges a cube over the cube it extends: the child's members, joins and keys win by name. */
function applyExtends(
  name: string,
  raw: Map<string, CubeSource>,
  done: Map<string, CubeSource>,
  problems: ProblemList,
  chain: string[],
): CubeSource | undefined {
  const ready = done.get(name);
  if (ready) return ready;
  const source = raw.get(name)!;
  const parentRef = source.spec.extends?.replace(/^\{|\}$/g, '').trim();
  if (!parentRef) return source;
  const fail = (message: string, hint?: string) => {
    problems.add(
      new InlayError('MODEL_INVALID', message, {
        where: { ...source.loc, cube: name },
        ...(hint ? { hint } : {}),
      }),
    );
    return undefined;
  };
  if (chain.includes(name)) return fail(`extends forms a cycle: ${[...chain, name].join(' -> ')}.`);
  if (!raw.has(parentRef))
    return fail(`extends unknown cube '${parentRef}'.`, didYouMean(parentRef, raw.keys()));
  const parent = applyExtends(parentRef, raw, done, problems, [...chain, name]);
  if (!parent) return undefined;
  const byName = <T extends { name: string }>(base: Located<T>[], own: Located<T>[]) => {
    const ownNames = new Set(own.map((o) => o.spec.name));
    return [...base.filter((b) => !ownNames.has(b.spec.name)), ...own];
  };
  const { extends: _e, ...ownKeys } = source.spec;
  const spec: CubeSpec = {
    ...parent.spec,
    ...Object.fromEntries(Object.entries(ownKeys).filter(([, v]) => v !== undefined)),
  } as CubeSpec;
  if (source.spec.sql_table && !source.spec.sql) delete spec.sql;
  if (source.spec.sql && !source.spec.sql_table) delete spec.sql_table;
  const policies = source.policies ?? parent.policies;
  return {
    name,
    spec,
    loc: source.loc,
    dimensions: byName(parent.dimensions, source.dimensions),
    measures: byName(parent.measures, source.measures),
    segments: byName(parent.segments, source.segments),
    joins: byName(parent.joins, source.joins),
    ...(policies ? { policies } : {}),
  };
}
