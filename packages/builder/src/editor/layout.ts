import { applyLayout, type Draft, EditError, GRID_COLUMNS, type LayoutItem, layoutOf } from './document.js';

/**
 * Moving and resizing a widget by steps, as the keyboard does it (the mouse goes through
 * react-grid-layout): one grid cell per step, kept inside the 12 columns, and any widget the
 * result would overlap pushed down below it, as a drag pushes them.
 */
export interface Nudge {
  dx?: number;
  dy?: number;
  dw?: number;
  dh?: number;
}

const overlaps = (a: LayoutItem, b: LayoutItem) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Pushes every item that overlaps `moved` (and then whatever those overlap) downwards. */
function settle(items: LayoutItem[], moved: LayoutItem): LayoutItem[] {
  const out = items.map((i) => (i.i === moved.i ? moved : { ...i }));
  const queue = [moved];
  // Each push moves an item strictly down, so this ends; the bound is a guard against a bug.
  for (let guard = 0; queue.length > 0 && guard < 10_000; guard++) {
    const fixed = queue.shift()!;
    for (const other of out) {
      if (other.i === fixed.i || other.i === moved.i || !overlaps(fixed, other)) continue;
      other.y = fixed.y + fixed.h;
      queue.push(other);
    }
  }
  return out;
}

export function nudgeWidget(doc: Draft, id: string, nudge: Nudge): Draft {
  const items = layoutOf(doc);
  const item = items.find((i) => i.i === id);
  if (!item) throw new EditError(`no widget '${id}'`);
  const w = Math.min(GRID_COLUMNS, Math.max(1, item.w + (nudge.dw ?? 0)));
  const h = Math.max(1, item.h + (nudge.dh ?? 0));
  const x = Math.min(GRID_COLUMNS - w, Math.max(0, item.x + (nudge.dx ?? 0)));
  const y = Math.max(0, item.y + (nudge.dy ?? 0));
  if (x === item.x && y === item.y && w === item.w && h === item.h) return doc;
  return applyLayout(doc, settle(items, { i: id, x, y, w, h }));
}

/** How a screen reader hears where a widget is: "column 3, row 2, 4 columns wide, 2 rows high". */
export function placeText(doc: Draft, id: string): string {
  const w = doc.widgets.find((x) => x.id === id);
  if (!w) return '';
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `column ${w.position.x + 1}, row ${w.position.y + 1}, ${plural(w.dimensions.width, 'column')} wide, ${plural(w.dimensions.height, 'row')} high`;
}
