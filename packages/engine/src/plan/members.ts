import type { CubeDef, MemberDef, SemanticModel, Template } from '../graph/types.js';

const cache = new WeakMap<MemberDef, Set<string>>();

/** Cubes a member's SQL reads (its own and any it references), transitively. */
export function cubesReadBy(model: SemanticModel, cube: CubeDef, def: MemberDef): Set<string> {
  const hit = cache.get(def);
  if (hit) return hit;
  const out = new Set<string>([cube.name]);
  cache.set(def, out);
  const templates: Template[] = [];
  if (def.kind === 'dimension') {
    // A sub-query dimension joins its own sub-select; only its key lives in this cube.
    if (!def.subQuery) {
      templates.push(...[def.sql, def.latitude, def.longitude].filter((t): t is Template => !!t));
      for (const w of def.caseWhen?.when ?? [])
        templates.push(w.sql, ...(typeof w.label === 'string' ? [] : [w.label]));
    }
  } else if (def.kind === 'measure') {
    templates.push(...[def.sql, ...def.filters].filter((t): t is Template => !!t));
  } else {
    templates.push(def.sql);
  }
  for (const t of templates) {
    for (const p of t.parts) {
      if (typeof p === 'string' || p.ref === 'security' || p.ref === 'column') continue;
      out.add(p.cube);
      if (p.ref === 'member') {
        const c = model.cubes.get(p.cube)!;
        const m = c.dimensions.get(p.member) ?? c.measures.get(p.member) ?? c.segments.get(p.member);
        if (m) for (const x of cubesReadBy(model, c, m)) out.add(x);
      }
    }
  }
  return out;
}
