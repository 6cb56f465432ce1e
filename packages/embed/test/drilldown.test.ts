import type { WidgetEvent } from '@inlay/core';
import { describe, expect, it } from 'vitest';
import { drilldownVariables } from '../src/drilldown.js';
import { initialVariables } from '../src/resolve.js';

const event = (variables: Record<string, string>): WidgetEvent => ({
  event: 'onBarClick',
  action: 'DRILLDOWN',
  config: { dashboard: 'detail', variables },
});

describe('drilldownVariables: the target variables a DRILLDOWN passes', () => {
  it('takes each mapped variable from its event property', () => {
    expect(drilldownVariables(event({ state: 'value', n: 'count' }), { value: 'CA', count: 3 })).toEqual({
      state: 'CA',
      n: 3,
    });
  });

  it('leaves out a property the event did not carry, so the target default applies', () => {
    const passed = drilldownVariables(event({ state: 'value', carrier: 'carrier' }), { value: 'NY' });
    expect(passed).toEqual({ state: 'NY' });
    const doc = {
      variables: [
        { name: 'state', type: 'string', defaultValue: 'TX' },
        { name: 'carrier', type: 'string', defaultValue: 'AA' },
      ],
    };
    expect(initialVariables(doc, passed)).toEqual({ state: 'NY', carrier: 'AA' });
  });

  it('passes an explicit null, and unwraps Embeddable-style wrapped values and no-filter', () => {
    const wrapped = { operation: 'VALUE', value: 'WA', __embeddableVariableMeta: true };
    const none = { operation: 'NO_FILTER', __embeddableVariableMeta: true };
    expect(drilldownVariables(event({ a: 'x', b: 'y', c: 'z' }), { x: null, y: wrapped, z: none })).toEqual({
      a: null,
      b: 'WA',
      c: null,
    });
  });

  it('passes nothing without a mapping, and never reads inherited properties', () => {
    expect(drilldownVariables({ ...event({}), config: { dashboard: 'd' } }, { value: 1 })).toEqual({});
    expect(drilldownVariables(event({ s: 'toString' }), {})).toEqual({});
  });
});
