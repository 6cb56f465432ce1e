import type { SemanticModel } from '../graph/types.js';

export interface SecurityGap {
  kind: 'cube' | 'view';
  name: string;
  file: string;
  line?: number;
}

/**
 * Cubes and views that any caller could read in full: no access policy with a row-level rule
 * and not marked `public: true` on purpose. `inlay validate` lists them before they ship.
 */
export function securityGaps(model: SemanticModel): SecurityGap[] {
  const gaps: SecurityGap[] = [];
  for (const e of [...model.cubes.values(), ...model.views.values()]) {
    if (e.markedPublic) continue;
    const hasRowRule = e.policies?.some((p) => p.rowFilters) ?? false;
    if (!hasRowRule)
      gaps.push({
        kind: e.kind,
        name: e.name,
        file: e.loc.file,
        ...(e.loc.line ? { line: e.loc.line } : {}),
      });
  }
  return gaps;
}
