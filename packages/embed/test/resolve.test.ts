import type { DashboardDocument, DashboardWidget } from '@inlay/core';
import { Value as SdkValue } from '@inlay/sdk';
import { describe, expect, it } from 'vitest';
import {
  initialVariables,
  isNoValue,
  resolveDataset,
  resolveWidgetInputs,
  timeRangeToDateRange,
  unwrapValue,
} from '../src/resolve.js';

const doc: Pick<DashboardDocument, 'variables' | 'datasets'> = {
  variables: [
    { name: 'date_range', type: 'timeRange' },
    { name: 'states', type: 'string', array: true, defaultValue: ['CA', 'NY'] },
    { name: 'grain', type: 'granularity', defaultValue: 'month' },
  ],
  datasets: [
    {
      name: 'flights',
      model: 'flights',
      filters: [
        { member: 'flights.date', operator: 'inDateRange', valueType: 'VARIABLE', value: 'date_range' },
        { member: 'airports.state', operator: 'equals', valueType: 'VARIABLE', value: 'states' },
        { member: 'flights.delay', operator: 'gt', valueType: 'VALUE', value: 15 },
      ],
    },
  ],
};

describe('variables', () => {
  it('start from the defaults (absent → null) and the host overrides them, null included', () => {
    expect(initialVariables(doc)).toEqual({ date_range: null, states: ['CA', 'NY'], grain: 'month' });
    expect(initialVariables(doc, { states: null, grain: 'week', extra: 1 })).toEqual({
      date_range: null,
      states: null,
      grain: 'week',
      extra: 1,
    });
  });

  it('no value is null, undefined or a noFilter marker', () => {
    for (const v of [null, undefined, { __inlayNoFilter: true }, { noFilter: true }])
      expect(isNoValue(v)).toBe(true);
    for (const v of [0, '', false, [], { from: 'a', to: 'b' }]) expect(isNoValue(v)).toBe(false);
  });

  it('time ranges: {from,to} → a pair, relative → lower-cased string, nothing → undefined', () => {
    expect(timeRangeToDateRange({ from: '2001-01-01', to: '2001-01-31' })).toEqual([
      '2001-01-01',
      '2001-01-31',
    ]);
    expect(timeRangeToDateRange({ relativeTimeString: 'Last 30 days' })).toBe('last 30 days');
    expect(timeRangeToDateRange(null)).toBeUndefined();
    expect(timeRangeToDateRange({ __inlayNoFilter: true })).toBeUndefined();
  });
});

describe('datasets', () => {
  const ds = doc.datasets[0]!;

  it('a timeRange variable becomes a time range; an array variable the filter values; VALUE stays', () => {
    const ref = resolveDataset(ds, {
      date_range: { from: '2001-02-01', to: '2001-02-28' },
      states: ['TX'],
    });
    expect(ref).toEqual({
      datasetName: 'flights',
      model: 'flights',
      timeRanges: [{ dimension: 'flights.date', dateRange: ['2001-02-01', '2001-02-28'] }],
      filters: [
        { member: 'airports.state', operator: 'equals', values: ['TX'] },
        { member: 'flights.delay', operator: 'gt', values: [15] },
      ],
    });
  });

  it('a scalar variable is one value; no value (or an empty list) drops the filter', () => {
    expect(resolveDataset(ds, { states: 'NY' }).filters[0]).toEqual({
      member: 'airports.state',
      operator: 'equals',
      values: ['NY'],
    });
    for (const none of [null, undefined, [], { __inlayNoFilter: true }]) {
      const ref = resolveDataset(ds, { date_range: none, states: none });
      expect(ref.timeRanges).toEqual([]);
      expect(ref.filters).toEqual([{ member: 'flights.delay', operator: 'gt', values: [15] }]);
    }
  });
});

describe('widget inputs', () => {
  const widget: DashboardWidget = {
    id: 'w1',
    component: 'LineChart',
    position: { x: 0, y: 0 },
    dimensions: { width: 6, height: 4 },
    inputs: [
      { input: 'ds', inputType: 'dataset', valueType: 'VALUE', value: 'flights' },
      {
        input: 'timeDimension',
        inputType: 'dimension',
        valueType: 'VALUE',
        value: 'flights.date',
        config: { dataset: 'ds', inputs: [{ input: 'granularity', valueType: 'VARIABLE', value: 'grain' }] },
      },
      {
        input: 'measures',
        inputType: 'measure',
        valueType: 'VALUE',
        value: ['flights.count', 'flights.avg_delay'],
      },
      { input: 'title', inputType: 'string', valueType: 'VARIABLE', value: 'title_var' },
    ],
  };
  const meta = {
    inputs: [
      { name: 'ds', type: 'dataset', label: 'Dataset' },
      { name: 'timeDimension', type: 'dimension', label: 'Time' },
      { name: 'measures', type: 'measure', array: true, label: 'Measures' },
      { name: 'title', type: 'string', label: 'Title', defaultValue: 'Untitled' },
      { name: 'area', type: 'boolean', label: 'Area', defaultValue: false },
    ],
  };

  it('datasets → DatasetRef, members → MemberRef(s) with sub-inputs, variables substituted, meta defaults kept', () => {
    const inputs = resolveWidgetInputs(widget, meta, doc, {
      grain: 'week',
      states: ['CA'],
      date_range: null,
    });
    expect(inputs).toEqual({
      ds: {
        datasetName: 'flights',
        model: 'flights',
        timeRanges: [],
        filters: [
          { member: 'airports.state', operator: 'equals', values: ['CA'] },
          { member: 'flights.delay', operator: 'gt', values: [15] },
        ],
      },
      timeDimension: { name: 'flights.date', inputs: { granularity: 'week' } },
      measures: [{ name: 'flights.count' }, { name: 'flights.avg_delay' }],
      title: 'Untitled',
      area: false,
    });
    expect(resolveWidgetInputs(widget, meta, doc, { title_var: 'Delays' }).title).toBe('Delays');
  });

  it('an unknown dataset is an error naming the input', () => {
    const bad = {
      ...widget,
      inputs: [{ input: 'ds', inputType: 'dataset', valueType: 'VALUE' as const, value: 'nope' }],
    };
    expect(() => resolveWidgetInputs(bad, meta, doc, {})).toThrow(/'ds' names unknown dataset 'nope'/);
  });
});

describe('wrapped values (Value.of / Value.noFilter) are unwrapped wherever the runtime reads one', () => {
  // Embeddable's SDK wraps; @inlay/sdk's Value.of is the value itself. Both must work.
  const of = (value: unknown) => ({ operation: 'VALUE', value, __embeddableVariableMeta: true });
  const noFilter = { operation: 'NO_FILTER', value: null, __embeddableVariableMeta: true };

  it('unwrapValue: the value, null for no filter, list items too; anything else untouched', () => {
    expect(unwrapValue(of('week'))).toBe('week');
    expect(unwrapValue(of({ from: '2001-02-01', to: '2001-02-28' }))).toEqual({
      from: '2001-02-01',
      to: '2001-02-28',
    });
    expect(unwrapValue(of(of(3)))).toBe(3);
    expect(unwrapValue(noFilter)).toBeNull();
    expect(unwrapValue([of('CA'), 'NY'])).toEqual(['CA', 'NY']);
    expect(unwrapValue(SdkValue.of('week'))).toBe('week');
    const plain = { operation: 'VALUE', value: 1 };
    expect(unwrapValue(plain)).toBe(plain);
    expect(isNoValue(noFilter)).toBe(true);
    expect(isNoValue(of(null))).toBe(true);
    expect(isNoValue(SdkValue.noFilter())).toBe(true);
  });

  it('in variables (defaults and the host’s), dataset filters and widget inputs', () => {
    expect(
      initialVariables(
        { variables: [{ name: 'grain', type: 'granularity', defaultValue: of('month') }] },
        { states: of(['TX']) },
      ),
    ).toEqual({
      grain: 'month',
      states: ['TX'],
    });
    const ref = resolveDataset(doc.datasets[0]!, {
      date_range: of({ from: '2001-02-01', to: '2001-02-28' }),
      states: [of('CA'), of('NY')],
    });
    expect(ref.timeRanges).toEqual([{ dimension: 'flights.date', dateRange: ['2001-02-01', '2001-02-28'] }]);
    expect(ref.filters[0]).toEqual({ member: 'airports.state', operator: 'equals', values: ['CA', 'NY'] });
    expect(resolveDataset(doc.datasets[0]!, { date_range: noFilter, states: noFilter }).filters).toHaveLength(
      1,
    );

    const widget: DashboardWidget = {
      id: 'w',
      component: 'KpiCard',
      position: { x: 0, y: 0 },
      dimensions: { width: 3, height: 2 },
      inputs: [
        { input: 'title', valueType: 'VALUE', value: of('Flights') },
        { input: 'measure', valueType: 'VARIABLE', value: 'm' },
      ],
    };
    const meta = {
      inputs: [
        { name: 'title', type: 'string', label: 'Title' },
        { name: 'measure', type: 'measure', label: 'Measure' },
      ],
    };
    expect(resolveWidgetInputs(widget, meta, doc, { m: of('flights.count') })).toEqual({
      title: 'Flights',
      measure: { name: 'flights.count' },
    });
  });
});

describe('a granularity variable bound to a time dimension’s sub-input (valueType VARIABLE)', () => {
  const widget: DashboardWidget = {
    id: 'line',
    component: 'LineChart',
    position: { x: 0, y: 0 },
    dimensions: { width: 6, height: 4 },
    inputs: [
      {
        input: 'timeDimension',
        valueType: 'VALUE',
        value: 'flights.date',
        config: { dataset: 'ds', inputs: [{ input: 'granularity', valueType: 'VARIABLE', value: 'grain' }] },
      },
    ],
  };
  const meta = { inputs: [{ name: 'timeDimension', type: 'dimension', label: 'Time' }] };

  it('follows the variable: its value, a wrapped value, and nothing (the component’s default) when unset', () => {
    const at = (vars: Record<string, unknown>) => resolveWidgetInputs(widget, meta, doc, vars).timeDimension;
    expect(at({ grain: 'month' })).toEqual({ name: 'flights.date', inputs: { granularity: 'month' } });
    expect(at({ grain: { operation: 'VALUE', value: 'day', __embeddableVariableMeta: true } })).toEqual({
      name: 'flights.date',
      inputs: { granularity: 'day' },
    });
    expect(at({ grain: null })).toEqual({ name: 'flights.date' });
    expect(at({ grain: SdkValue.noFilter() })).toEqual({ name: 'flights.date' });
    // initialVariables: the dashboard default, replaced by what a GranularityPicker emits.
    const vars = initialVariables(doc);
    expect(at(vars)).toEqual({ name: 'flights.date', inputs: { granularity: 'month' } });
    expect(at({ ...vars, grain: 'week' })).toEqual({ name: 'flights.date', inputs: { granularity: 'week' } });
  });
});
