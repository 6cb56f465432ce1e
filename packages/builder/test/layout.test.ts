import { describe, expect, it } from 'vitest';
import { type Draft, EditError } from '../src/editor/document.js';
import { nudgeWidget, placeText } from '../src/editor/layout.js';

const widget = (id: string, x: number, y: number, width: number, height: number) => ({
  id,
  component: 'KpiCard',
  position: { x, y },
  dimensions: { width, height },
  inputs: [],
});

const doc: Draft = {
  id: 'd',
  name: 'd',
  variables: [],
  datasets: [],
  widgets: [widget('a', 0, 0, 4, 2), widget('b', 4, 0, 4, 2), widget('c', 4, 2, 4, 3)],
};
const at = (d: Draft, id: string) => {
  const w = d.widgets.find((x) => x.id === id)!;
  return [w.position.x, w.position.y, w.dimensions.width, w.dimensions.height];
};

describe('moving and resizing a widget with the keyboard', () => {
  it('moves one cell and pushes what it would overlap down, in a chain', () => {
    const moved = nudgeWidget(doc, 'a', { dx: 1 });
    expect(at(moved, 'a')).toEqual([1, 0, 4, 2]);
    // b overlapped a: pushed under it, and c (under b's old place) under b.
    expect(at(moved, 'b')).toEqual([4, 2, 4, 2]);
    expect(at(moved, 'c')).toEqual([4, 4, 4, 3]);
    expect(doc.widgets[1]!.position).toEqual({ x: 4, y: 0 });
  });
  it('resizes, keeping at least one cell and inside the 12 columns', () => {
    expect(at(nudgeWidget(doc, 'c', { dw: 1, dh: 1 }), 'c')).toEqual([4, 2, 5, 4]);
    const wide = nudgeWidget(doc, 'c', { dw: 20 });
    expect(at(wide, 'c')).toEqual([0, 2, 12, 3]);
    expect(at(nudgeWidget(doc, 'a', { dw: -10, dh: -10 }), 'a')).toEqual([0, 0, 1, 1]);
  });
  it('answers the same document at an edge, and refuses a widget that is not there', () => {
    expect(nudgeWidget(doc, 'a', { dx: -1 })).toBe(doc);
    expect(nudgeWidget(doc, 'a', { dy: -1 })).toBe(doc);
    expect(nudgeWidget(nudgeWidget(doc, 'b', { dx: 8 }), 'b', { dx: 1 })).toEqual(
      nudgeWidget(doc, 'b', { dx: 8 }),
    );
    expect(() => nudgeWidget(doc, 'zz', { dx: 1 })).toThrow(EditError);
  });
  it('says where a widget is in words', () => {
    expect(placeText(doc, 'c')).toBe('column 5, row 3, 4 columns wide, 3 rows high');
    expect(placeText(nudgeWidget(doc, 'a', { dw: -3, dh: -1 }), 'a')).toBe(
      'column 1, row 1, 1 column wide, 1 row high',
    );
  });
});
