import { InlayError, type PolicyFilter } from '@inlay/core';
import type { ProblemList } from '../validate/errors.js';
import { didYouMean } from '../validate/suggest.js';
import { buildPolicy, humanize } from './build.js';
import type { ViewSource } from './specs.js';
import { parseTemplate } from './template.js';
import type { CubeDef, Location, PolicyDef, ViewDef, ViewMember } from './types.js';

/** Views: members of cubes reached by a fixed join path, renamed, with their own policies. */
export function buildViews(
  sources: Map<string, ViewSource>,
  cubes: Map<string, CubeDef>,
  problems: ProblemList,
): Map<string, ViewDef> {
  const views = new Map<string, ViewDef>();
  for (const [name, source] of sources) {
    const fail = (message: string, hint?: string, loc: Location = source.loc) =>
      problems.add(
        new InlayError('MODEL_INVALID', message, {
          where: { ...loc, cube: name },
          ...(hint ? { hint } : {}),
        }),
      );
    const entries = source.spec.cubes;
    const root = entries[0]!.join_path.split('.')[0]!;
    const members = new Map<string, ViewMember>();
    for (const entry of entries) {
      const path = entry.join_path.split('.');
      if (path[0] !== root) {
        fail(
          `join_path '${entry.join_path}' does not start at the view's root cube '${root}'.`,
          'Every join_path starts at the same cube.',
        );
        continue;
      }
      const unknown = path.find((c) => !cubes.has(c));
      if (unknown) {
        fail(
          `join_path '${entry.join_path}' names unknown cube '${unknown}'.`,
          didYouMean(unknown, cubes.keys()),
        );
        continue;
      }
      const broken = path.findIndex((c, i) => i > 0 && !cubes.get(path[i - 1]!)!.joins.has(c));
      if (broken > 0) {
        fail(
          `join_path '${entry.join_path}': cube '${path[broken - 1]}' has no join to '${path[broken]}'.`,
          `Add a join from ${path[broken - 1]} to ${path[broken]}.`,
        );
        continue;
      }
      const target = cubes.get(path[path.length - 1]!)!;
      const all = [...target.dimensions.values(), ...target.measures.values(), ...target.segments.values()];
      const picked: {
        name: string;
        alias?: string;
        title?: string;
        description?: string;
        format?: string;
        meta?: Record<string, unknown>;
      }[] =
        entry.includes === undefined || entry.includes === '*'
          ? all.filter((m) => m.public).map((m) => ({ name: m.name }))
          : entry.includes.map((i) => (typeof i === 'string' ? { name: i } : i));
      const excluded = new Set(entry.excludes ?? []);
      for (const ex of excluded) {
        if (!all.some((m) => m.name === ex))
          fail(
            `excludes unknown member '${target.name}.${ex}'.`,
            didYouMean(
              ex,
              all.map((m) => m.name),
            ),
          );
      }
      for (const inc of picked) {
        if (excluded.has(inc.name)) continue;
        const def = all.find((m) => m.name === inc.name);
        if (!def) {
          fail(
            `includes unknown member '${target.name}.${inc.name}'.`,
            didYouMean(
              inc.name,
              all.map((m) => m.name),
            ),
          );
          continue;
        }
        const memberName =
          inc.alias ?? (entry.prefix ? `${entry.alias ?? target.name}_${inc.name}` : inc.name);
        if (members.has(memberName)) {
          fail(`two members would both be named '${memberName}'.`, 'Use prefix: true or an alias.');
          continue;
        }
        members.set(memberName, {
          name: memberName,
          kind: def.kind,
          cube: target.name,
          member: def.name,
          path,
          ...(inc.title ? { title: inc.title } : {}),
          ...(inc.description ? { description: inc.description } : {}),
          ...(inc.format ? { format: inc.format } : {}),
          ...(inc.meta ? { meta: inc.meta } : {}),
        });
      }
    }
    const tpl = (text: string, loc: Location) => {
      try {
        return parseTemplate(text, {
          cube: name,
          loc,
          hasOwnMember: (m) => members.has(m),
          hasCube: () => false,
          hasMember: () => false,
          known: () => members.keys(),
        });
      } catch (e) {
        if (e instanceof InlayError) problems.add(e);
        else throw e;
        return undefined;
      }
    };
    const policies = source.policies?.map((p) => buildPolicy(p, tpl));
    views.set(name, {
      kind: 'view',
      name,
      root,
      members,
      ...(policies ? { policies } : {}),
      title: source.spec.title ?? humanize(name),
      ...(source.spec.description ? { description: source.spec.description } : {}),
      ...(source.spec.meta ? { meta: source.spec.meta } : {}),
      markedPublic: source.spec.public === true,
      public: source.spec.public ?? true,
      loc: source.loc,
    });
  }
  return views;
}

/** Policy members must exist: a misspelt row filter would otherwise silently filter nothing. */
export function checkPolicyMembers(
  cubes: Map<string, CubeDef>,
  views: Map<string, ViewDef>,
  problems: ProblemList,
): void {
  const exists = (owner: string, member: string): boolean => {
    const [a, b] = member.includes('.') ? member.split('.') : [owner, member];
    const c = cubes.get(a!);
    if (c) return c.dimensions.has(b!) || c.measures.has(b!) || c.segments.has(b!);
    return views.get(a!)?.members.has(b!) ?? false;
  };
  const ownMembers = (owner: string): string[] => {
    const c = cubes.get(owner);
    if (c) return [...c.dimensions.keys(), ...c.measures.keys(), ...c.segments.keys()];
    return [...(views.get(owner)?.members.keys() ?? [])];
  };
  const check = (owner: string, policies: PolicyDef[] | undefined) => {
    for (const p of policies ?? []) {
      const report = (member: string, what: string) =>
        problems.add(
          new InlayError(
            'MODEL_INVALID',
            `access_policy for role '${p.role}': ${what} names unknown member '${member}'.`,
            {
              where: { ...p.loc, cube: owner },
              ...(didYouMean(member, ownMembers(owner))
                ? { hint: didYouMean(member, ownMembers(owner))! }
                : {}),
            },
          ),
        );
      for (const list of [p.includes, p.excludes]) {
        if (list === '*') continue;
        for (const m of list) if (m !== '*' && !exists(owner, m)) report(m, 'member_level');
      }
      const walk = (f: PolicyFilter) => {
        if ('and' in f) f.and.forEach(walk);
        else if ('or' in f) f.or.forEach(walk);
        else if (!exists(owner, f.member)) report(f.member, 'row_level filter');
      };
      p.rowFilters?.forEach(walk);
    }
  };
  for (const c of cubes.values()) check(c.name, c.policies);
  for (const v of views.values()) check(v.name, v.policies);
}
