import { describe, expect, it } from 'vitest';
import type { DashboardDocument } from '../src/api.js';
import { changedFields, diffDocuments, sameValue } from '../src/diff.js';

const kpi = {
  id: 'kpi',
  component: 'KpiCard',
  position: { x: 0, y: 0 },
  dimensions: { width: 4, height: 2 },
  inputs: [
    { input: 'ds', inputType: 'dataset', valueType: 'VALUE', value: 'flights' },
    { input: 'measure', inputType: 'measure', valueType: 'VALUE', value: 'flights.count' },
  ],
};

const v1: DashboardDocument = {
  id: 'carrier-kpis',
  name: 'carrier-kpis',
  title: 'Carrier KPIs',
  variables: [
    { name: 'date_range', type: 'timeRange', defaultValue: { relativeTimeString: 'Last 30 days' } },
  ],
  datasets: [{ name: 'flights', model: 'flights', filters: [] }],
  widgets: [kpi, { id: 'old-table', component: 'Table', position: { x: 4, y: 0 }, inputs: [] }],
};

describe('diffDocuments', () => {
  it('finds nothing between a document and a copy of it with keys in another order', () => {
    const copy = JSON.parse(JSON.stringify(v1)) as DashboardDocument;
    const { id, component, position, inputs } = kpi;
    copy.widgets![0] = { inputs, dimensions: { height: 2, width: 4 }, position, component, id };
    const diff = diffDocuments(v1, copy);
    expect(diff.same).toBe(true);
    expect(diff.text).toEqual([]);
    expect(diff.widgets).toEqual({ added: [], removed: [], changed: [] });
  });

  it('names the title and description changes, and items added, removed and changed with their fields', () => {
    const v2: DashboardDocument = {
      ...v1,
      title: 'Carrier KPIs, v2',
      description: 'Now with a chart',
      variables: [
        { name: 'date_range', type: 'timeRange', defaultValue: { relativeTimeString: 'Last 7 days' } },
        { name: 'carrier', type: 'string' },
      ],
      datasets: [],
      widgets: [
        {
          ...kpi,
          position: { x: 2, y: 0 },
          inputs: [kpi.inputs[0]!, { ...kpi.inputs[1]!, value: 'flights.delayed' }],
        },
        { id: 'chart', component: 'BarChart', position: { x: 0, y: 2 }, inputs: [] },
      ],
    };
    const diff = diffDocuments(v1, v2);
    expect(diff.same).toBe(false);
    expect(diff.text).toEqual([
      { field: 'title', from: 'Carrier KPIs', to: 'Carrier KPIs, v2' },
      { field: 'description', from: undefined, to: 'Now with a chart' },
    ]);
    expect(diff.variables).toEqual({
      added: ['carrier'],
      removed: [],
      changed: [{ key: 'date_range', fields: ['defaultValue.relativeTimeString'] }],
    });
    expect(diff.datasets).toEqual({ added: [], removed: ['flights'], changed: [] });
    expect(diff.widgets).toEqual({
      added: ['chart'],
      removed: ['old-table'],
      changed: [{ key: 'kpi', fields: ['inputs.measure', 'position.x'] }],
    });
  });

  it('treats a missing list, title or description like an empty one', () => {
    const bare: DashboardDocument = { name: 'x' };
    expect(diffDocuments(bare, { name: 'x', title: '', variables: [], datasets: [], widgets: [] }).same).toBe(
      true,
    );
    expect(
      diffDocuments(bare, { name: 'x', widgets: [{ id: 'w', component: 'Text' }] }).widgets.added,
    ).toEqual(['w']);
  });
});

describe('changedFields', () => {
  it('reports an array that has no item names, or only changed order, as a whole', () => {
    expect(changedFields({ filters: [1, 2] }, { filters: [2, 1] })).toEqual(['filters']);
    const a = {
      inputs: [
        { input: 'a', value: 1 },
        { input: 'b', value: 2 },
      ],
    };
    const b = { inputs: [a.inputs[1], a.inputs[0]] };
    expect(changedFields(a, b)).toEqual(['inputs']);
    // Two items with the same name: no single one to point at.
    const twice = {
      filters: [
        { member: 'f.a', value: 1 },
        { member: 'f.a', value: 2 },
      ],
    };
    expect(changedFields(twice, { filters: [twice.filters[0], { member: 'f.a', value: 3 }] })).toEqual([
      'filters',
    ]);
  });

  it('names fields that appear or disappear, and stops at a depth', () => {
    expect(changedFields({ a: 1 }, { a: 1, events: [] })).toEqual(['events']);
    expect(changedFields({ a: { b: { c: { d: 1 } } } }, { a: { b: { c: { d: 2 } } } }, '', 2)).toEqual([
      'a.b',
    ]);
    expect(changedFields(1, 1)).toEqual([]);
  });
});

describe('sameValue', () => {
  it('compares JSON values deeply: key order does not matter, array order and types do', () => {
    expect(sameValue({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toBe(true);
    expect(sameValue({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
    expect(sameValue({ a: undefined }, {})).toBe(true);
    expect(sameValue('1', 1)).toBe(false);
    expect(sameValue([], {})).toBe(false);
    expect(sameValue(null, {})).toBe(false);
  });
});
