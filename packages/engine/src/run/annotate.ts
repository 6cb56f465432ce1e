import type { Annotation, MemberAnnotation, Query } from '@inlay/core';
import type { DimensionDef, MeasureDef } from '../graph/types.js';
import type { OutputColumn } from '../plan/columns.js';

function describe(c: OutputColumn): MemberAnnotation {
  const def = c.member.def as DimensionDef | MeasureDef;
  const type =
    def.kind === 'measure'
      ? def.type === 'string' || def.type === 'time' || def.type === 'boolean'
        ? def.type
        : 'number'
      : def.type;
  return {
    title: def.title,
    shortTitle: def.shortTitle,
    type,
    ...(def.format ? { format: def.format } : {}),
    ...(def.meta ? { meta: def.meta } : {}),
  };
}

export function annotate(columns: OutputColumn[], _query: Query): Annotation {
  const out: Annotation = { measures: {}, dimensions: {}, segments: {}, timeDimensions: {} };
  for (const c of columns) {
    const a = describe(c);
    if (c.kind === 'measure') out.measures[c.keys[0]!] = a;
    else if (c.kind === 'dimension') out.dimensions[c.keys[0]!] = a;
    else {
      const granular = {
        ...a,
        title: `${a.title} ${c.granularity}`,
        shortTitle: `${a.shortTitle} ${c.granularity}`,
      };
      for (const k of c.keys) out.timeDimensions[k] = k === c.keys[0] ? granular : a;
    }
  }
  return out;
}
