import type { Annotation, MemberAnnotation } from '@inlay/core';
import type { OutputColumn } from '../render/columns.js';

function describe(c: OutputColumn): MemberAnnotation {
  const def = c.member.def;
  return {
    title: def.title,
    shortTitle: def.shortTitle,
    type: c.kind === 'measure' ? c.type : def.type,
    ...(def.format ? { format: def.format } : {}),
    ...(def.meta ? { meta: def.meta } : {}),
  };
}

export function annotate(columns: OutputColumn[]): Annotation {
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
