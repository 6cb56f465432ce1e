import type { Draft } from './document.js';

/**
 * Undo and redo over whole documents (they are small, and changes share what they did not touch).
 * A change that returns the same document is not a step.
 */
export interface History {
  past: Draft[];
  present: Draft;
  future: Draft[];
}

const LIMIT = 200;

export const startHistory = (present: Draft): History => ({ past: [], present, future: [] });

export function record(h: History, next: Draft): History {
  if (next === h.present) return h;
  return { past: [...h.past, h.present].slice(-LIMIT), present: next, future: [] };
}

export function undo(h: History): History {
  const previous = h.past.at(-1);
  if (!previous) return h;
  return { past: h.past.slice(0, -1), present: previous, future: [h.present, ...h.future] };
}

export function redo(h: History): History {
  const [next, ...rest] = h.future;
  if (!next) return h;
  return { past: [...h.past, h.present], present: next, future: rest };
}

export const canUndo = (h: History) => h.past.length > 0;
export const canRedo = (h: History) => h.future.length > 0;
