import { describe, expect, it } from 'vitest';
import type { Draft } from '../src/editor/document.js';
import {
  eventAction,
  eventDrilldown,
  fittingProperties,
  setEventDrilldown,
} from '../src/editor/drilldown.js';

const barClick = {
  name: 'onBarClick',
  label: 'Bar clicked',
  properties: [
    { name: 'value', type: 'string' },
    { name: 'count', type: 'number', label: 'Count' },
    { name: 'range', type: 'timeRange' },
    { name: 'many', type: 'string', array: true },
  ],
};
const draft: Draft = {
  id: 'o',
  name: 'o',
  variables: [],
  datasets: [],
  widgets: [
    {
      id: 'bars',
      component: 'BarChart',
      position: { x: 0, y: 0 },
      dimensions: { width: 6, height: 4 },
      inputs: [],
      events: [{ event: 'onBarClick', action: 'SET_VARIABLE', config: { variable: 'x' } }],
    },
  ],
};
const target = {
  id: 'detail',
  variables: [
    { name: 'state', type: 'string' },
    { name: 'period', type: 'timeRange' },
    { name: 'states', type: 'string', array: true },
    { name: 'delay', type: 'number' },
  ],
};

describe('the interactions panel: drill-down mapping', () => {
  it('offers only properties that fit a variable', () => {
    const names = (v: (typeof target.variables)[number]) => fittingProperties(barClick, v).map((p) => p.name);
    expect(names(target.variables[0]!)).toEqual(['value', 'count']);
    expect(names(target.variables[1]!)).toEqual(['range']);
    expect(names(target.variables[2]!)).toEqual(['many']);
    expect(names(target.variables[3]!)).toEqual(['count']);
    expect(fittingProperties(barClick, target.variables[3]!)).toEqual([{ name: 'count', label: 'Count' }]);
  });

  it('replaces the event’s action with a DRILLDOWN, keeping only fitting mappings', () => {
    const next = setEventDrilldown(draft, 'bars', barClick, target, {
      state: 'value',
      period: 'value',
      delay: 'count',
      ghost: 'value',
    });
    expect(next.widgets[0]!.events).toEqual([
      {
        event: 'onBarClick',
        action: 'DRILLDOWN',
        config: { dashboard: 'detail', variables: { state: 'value', delay: 'count' } },
      },
    ]);
    expect(eventAction(next.widgets[0]!, 'onBarClick')).toBe('DRILLDOWN');
    expect(eventDrilldown(next.widgets[0]!, 'onBarClick')).toEqual({
      dashboard: 'detail',
      variables: { state: 'value', delay: 'count' },
    });
    expect(draft.widgets[0]!.events?.[0]?.action).toBe('SET_VARIABLE');
  });

  it('no target removes the action', () => {
    const next = setEventDrilldown(draft, 'bars', barClick, undefined, {});
    expect(next.widgets[0]!.events).toBeUndefined();
    expect(eventAction(next.widgets[0]!, 'onBarClick')).toBe('none');
    expect(() => setEventDrilldown(draft, 'nope', barClick, target, {})).toThrow("no widget 'nope'");
  });
});
