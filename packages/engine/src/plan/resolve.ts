import { InlayError } from '@inlay/core';
import type {
  CubeDef,
  DimensionDef,
  MeasureDef,
  SegmentDef,
  SemanticModel,
  ViewDef,
} from '../graph/types.js';
import { didYouMean } from '../validate/suggest.js';

export type MemberKind = 'dimension' | 'measure' | 'segment';

/** A query's member name, resolved to the cube member that computes it. */
export interface ResolvedMember<D = DimensionDef | MeasureDef | SegmentDef> {
  /** As the query named it (`view.member` or `cube.member`). */
  name: string;
  /** The cube or view the query named. */
  owner: CubeDef | ViewDef;
  cube: CubeDef;
  def: D;
  /** Fixed join path from the view's root, for view members. */
  path?: string[];
}

export function resolveMember(
  model: SemanticModel,
  name: string,
  kinds: readonly MemberKind[],
  where: string,
): ResolvedMember {
  const dot = name.indexOf('.');
  const ownerName = name.slice(0, dot);
  const memberName = name.slice(dot + 1);
  const cube = model.cubes.get(ownerName);
  const view = cube ? undefined : model.views.get(ownerName);
  if (!cube && !view) {
    throw new InlayError('QUERY_INVALID', `'${name}': there is no cube or view '${ownerName}'.`, {
      where: { path: where },
      ...hint(didYouMean(ownerName, [...model.cubes.keys(), ...model.views.keys()])),
    });
  }
  const kindLabel = kinds.join(' or ');
  if (view) {
    const vm = view.members.get(memberName);
    if (!vm) {
      throw new InlayError('QUERY_INVALID', `'${name}': view '${ownerName}' has no member '${memberName}'.`, {
        where: { path: where },
        ...hint(didYouMean(memberName, view.members.keys())),
      });
    }
    const target = model.cubes.get(vm.cube)!;
    const def = memberOf(target, vm.member)!;
    checkKind(name, def, kinds, kindLabel, where);
    return { name, owner: view, cube: target, def, path: vm.path };
  }
  const def = memberOf(cube!, memberName);
  if (!def) {
    const names = [...cube!.dimensions.keys(), ...cube!.measures.keys(), ...cube!.segments.keys()];
    throw new InlayError('QUERY_INVALID', `'${name}': cube '${ownerName}' has no member '${memberName}'.`, {
      where: { path: where },
      ...hint(didYouMean(memberName, names)),
    });
  }
  checkKind(name, def, kinds, kindLabel, where);
  if (!def.public) {
    throw new InlayError('QUERY_INVALID', `'${name}' is not public and cannot be queried.`, {
      where: { path: where },
    });
  }
  return { name, owner: cube!, cube: cube!, def };
}

function memberOf(cube: CubeDef, name: string): DimensionDef | MeasureDef | SegmentDef | undefined {
  return cube.dimensions.get(name) ?? cube.measures.get(name) ?? cube.segments.get(name);
}

function checkKind(
  name: string,
  def: { kind: MemberKind },
  kinds: readonly MemberKind[],
  label: string,
  where: string,
): void {
  if (!kinds.includes(def.kind)) {
    throw new InlayError('QUERY_INVALID', `'${name}' is a ${def.kind}, but a ${label} is expected here.`, {
      where: { path: where },
      hint:
        def.kind === 'measure'
          ? 'Put measures in `measures`.'
          : def.kind === 'segment'
            ? 'Put segments in `segments`.'
            : 'Put it in `dimensions`.',
    });
  }
}

function hint(h: string | undefined): { hint?: string } {
  return h ? { hint: h } : {};
}

/** A value as an error message may show it: short, so a huge payload is not sent back. */
export function preview(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
