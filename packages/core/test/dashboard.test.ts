import { describe, expect, it } from 'vitest';
import { type DashboardDocument, dashboardDocumentSchema, dashboardSchema } from '../src/index.js';

const full = (): DashboardInputLoose => ({
  name: 'd1',
  variables: [{ name: 'date_range', type: 'timeRange' }],
  datasets: [
    {
      name: 'flights',
      model: 'flights',
      filters: [
        { member: 'flights.date', operator: 'inDateRange', value: 'date_range', valueType: 'VARIABLE' },
      ],
    },
    { name: 'airports', model: 'airports' },
  ],
  widgets: [
    {
      component: 'KpiCard',
      position: { x: 0, y: 0 },
      dimensions: { width: 4, height: 2 },
      inputs: [
        { input: 'ds', inputType: 'dataset', valueType: 'VALUE', value: 'flights' },
        {
          input: 'measure',
          inputType: 'measure',
          valueType: 'VALUE',
          value: 'flights.count',
          config: { dataset: 'ds' },
        },
      ],
    },
    {
      component: 'KpiCard',
      position: { x: 4, y: 0 },
      dimensions: { width: 4, height: 2 },
      inputs: [{ input: 'ds', inputType: 'dataset', valueType: 'VALUE', value: 'flights' }],
    },
    {
      id: 'picker',
      component: 'DateRangePicker',
      position: { x: 8, y: 0 },
      dimensions: { width: 4, height: 2 },
      inputs: [{ input: 'value', inputType: 'timeRange', valueType: 'VARIABLE', value: 'date_range' }],
      events: [
        {
          event: 'onChange',
          action: 'SET_VARIABLE',
          config: { variable: 'date_range', sourceType: 'EVENT_PROPERTY', sourceValue: 'value' },
        },
      ],
    },
  ],
});

// Loose on purpose: tests break documents in ways the input type would not allow.
// biome-ignore lint/suspicious/noExplicitAny: see above
type DashboardInputLoose = any;

function issues(input: unknown): { path: string; message: string }[] {
  const r = dashboardSchema.safeParse(input);
  if (r.success) return [];
  return r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('dashboardSchema (full shape)', () => {
  it('fills in id, version and widget ids (by component and order), and the result is a stored document', () => {
    const doc: DashboardDocument = dashboardSchema.parse(full());
    expect(doc.id).toBe('d1');
    expect(doc.version).toBe('v1');
    expect(doc.widgets.map((w) => w.id)).toEqual(['KpiCard-1', 'KpiCard-2', 'picker']);
    // The output is exactly the stored shape, and parsing it again changes nothing.
    expect(dashboardDocumentSchema.parse(doc)).toEqual(doc);
    expect(dashboardSchema.parse(doc)).toEqual(doc);
  });

  it('generated ids skip the ids given explicitly', () => {
    const d = full();
    d.widgets[2]!.id = 'KpiCard-1';
    expect(dashboardSchema.parse(d).widgets.map((w) => w.id)).toEqual([
      'KpiCard-2',
      'KpiCard-3',
      'KpiCard-1',
    ]);
  });

  it('refuses a VARIABLE naming no variable, in a filter, an input and an event, with paths and a fix', () => {
    const d = full();
    d.variables = [{ name: 'period', type: 'timeRange' }];
    const found = issues(d);
    expect(found.map((i) => i.path)).toEqual([
      'datasets.0.filters.0.value',
      'widgets.2.inputs.0.value',
      'widgets.2.events.0.config.variable',
    ]);
    expect(found[0]!.message).toBe(
      `variable "date_range" is not declared; declare it under 'variables' or use one of: 'period'.`,
    );
  });

  it('refuses an undeclared dataset, a config.dataset naming no dataset input, and a member of a cube no dataset reads', () => {
    const d = full();
    d.widgets[0]!.inputs[0]!.value = 'flightz';
    d.widgets[0]!.inputs[1]!.config = { dataset: 'data' };
    d.widgets[0]!.inputs[1]!.value = 'destinations.state';
    const found = issues(d);
    expect(found.map((i) => i.path)).toEqual([
      'widgets.0.inputs.0.value',
      'widgets.0.inputs.1.value',
      'widgets.0.inputs.1.config.dataset',
    ]);
    expect(found[0]!.message).toMatch(/dataset "flightz" is not declared.*'airports', 'flights'/);
    expect(found[1]!.message).toMatch(/'destinations', which no dataset reads.*add a dataset with model/);
    expect(found[2]!.message).toMatch(
      /config.dataset 'data' names no dataset input of widget 'KpiCard-1'.*'ds'/,
    );
  });

  it('refuses duplicate widget ids, variables and datasets, and widgets past the 12th column', () => {
    const d = full();
    d.widgets[0]!.id = 'picker';
    d.widgets[1]!.position.x = 10;
    d.datasets.push({ name: 'airports', model: 'airports' });
    const found = issues(d);
    expect(found.map((i) => i.path)).toEqual([
      'datasets.2.name',
      'widgets.2.id',
      'widgets.1.dimensions.width',
    ]);
    expect(found[2]!.message).toMatch(/columns 10–13, past the 12-column grid; make x \+ width at most 12/);
  });

  it('refuses unknown keys and malformed member names with the field path', () => {
    const d = full() as Record<string, unknown>;
    (d.datasets as Record<string, unknown>[])[0]!.modle = 'x';
    expect(issues(d)[0]!.path).toBe('datasets.0');
    const e = full();
    e.datasets[0]!.filters![0]!.member = 'flights';
    expect(issues(e)[0]).toMatchObject({ path: 'datasets.0.filters.0.member' });
  });
});

describe('dashboardSchema (short form)', () => {
  const short = {
    name: 'd2',
    datasets: [{ name: 'f', model: 'flights' }],
    widgets: [
      {
        component: 'LineChart',
        dataset: 'f',
        inputs: {
          measures: ['flights.count'],
          timeDimensions: [{ dimension: 'flights.date', granularity: 'week' }],
          title: 'Weekly',
        },
      },
      { component: 'Table', dataset: 'f', inputs: { dimensions: ['flights.origin'] } },
      { component: 'KpiCard', dataset: 'f' },
    ],
  };

  it('becomes the full shape: a ds input, member inputs bound to it, sub-inputs, literal inputs, a flow layout', () => {
    const doc = dashboardSchema.parse(short);
    expect(doc.widgets[0]).toEqual({
      id: 'LineChart-1',
      component: 'LineChart',
      position: { x: 0, y: 0 },
      dimensions: { width: 6, height: 4 },
      inputs: [
        { input: 'ds', inputType: 'dataset', valueType: 'VALUE', value: 'f' },
        {
          input: 'measures',
          inputType: 'measure',
          array: true,
          valueType: 'VALUE',
          value: ['flights.count'],
          config: { dataset: 'ds' },
        },
        {
          input: 'timeDimension',
          inputType: 'dimension',
          valueType: 'VALUE',
          value: 'flights.date',
          config: { dataset: 'ds', inputs: [{ input: 'granularity', valueType: 'VALUE', value: 'week' }] },
        },
        { input: 'title', inputType: 'string', valueType: 'VALUE', value: 'Weekly' },
      ],
    });
    expect(doc.widgets.map((w) => [w.position, w.dimensions.width])).toEqual([
      [{ x: 0, y: 0 }, 6],
      [{ x: 6, y: 0 }, 6],
      [{ x: 0, y: 4 }, 6],
    ]);
    expect(dashboardDocumentSchema.parse(doc)).toEqual(doc);
    expect(dashboardSchema.parse(doc)).toEqual(doc);
  });

  it('errors point at what was written (the short-form key), not at the normalised input', () => {
    const bad = structuredClone(short);
    bad.widgets[1]!.inputs = { dimensions: ['destinations.state'] };
    bad.widgets[2]!.dataset = 'g';
    expect(issues(bad).map((i) => i.path)).toEqual(['widgets.1.inputs.dimensions', 'widgets.2.dataset']);
  });

  it('refuses dataset beside a list of inputs, saying how to write it', () => {
    const d = full() as { widgets: Record<string, unknown>[] };
    d.widgets[0]!.dataset = 'flights';
    expect(issues(d)).toEqual([
      {
        path: 'widgets.0.dataset',
        message: expect.stringContaining('{input: ds, inputType: dataset, valueType: VALUE, value: flights}'),
      },
    ]);
  });
});
