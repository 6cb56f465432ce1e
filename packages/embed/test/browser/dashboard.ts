import type { DashboardDocument } from '@inlay/core';

/**
 * The hand-written dashboards the browser tests embed (fixture components from
 * `../fixtures/registry.js`). Served as the test app's dashboards (`harness.ts`) by `GET /api/v1/embed/dashboard`; the data always comes from the real `/api/v1/load`.
 */
export const TEST_DASHBOARD: DashboardDocument = {
  id: 'flights-overview',
  name: 'flights-overview',
  title: 'Flights overview',
  version: 'v1',
  variables: [{ name: 'date_range', type: 'timeRange' }],
  datasets: [
    {
      name: 'flights',
      model: 'flights',
      filters: [
        { member: 'flights.date', operator: 'inDateRange', valueType: 'VARIABLE', value: 'date_range' },
      ],
    },
  ],
  widgets: [
    {
      id: 'w-range',
      component: 'RangeButtons',
      position: { x: 0, y: 0 },
      dimensions: { width: 12, height: 1 },
      inputs: [{ input: 'title', inputType: 'string', valueType: 'VALUE', value: 'Period' }],
      events: [
        {
          event: 'onChange',
          action: 'SET_VARIABLE',
          config: { variable: 'date_range', sourceType: 'EVENT_PROPERTY', sourceValue: 'value' },
        },
      ],
    },
    kpi('w-count', 'Flights', 'flights.count', 0),
    kpi('w-delay', 'Average delay', 'flights.avg_delay', 4),
    {
      id: 'w-top',
      component: 'TopList',
      position: { x: 8, y: 1 },
      dimensions: { width: 4, height: 4 },
      inputs: [
        { input: 'ds', inputType: 'dataset', valueType: 'VALUE', value: 'flights' },
        {
          input: 'columns',
          inputType: 'dimensionOrMeasure',
          valueType: 'VALUE',
          value: ['flights.destination', 'flights.count'],
          config: { dataset: 'ds' },
        },
        { input: 'title', inputType: 'string', valueType: 'VALUE', value: 'Top destinations' },
      ],
    },
  ],
};

function kpi(id: string, title: string, measure: string, x: number) {
  return {
    id,
    component: 'KpiCard',
    position: { x, y: 1 },
    dimensions: { width: 4, height: 2 },
    inputs: [
      { input: 'ds', inputType: 'dataset', valueType: 'VALUE' as const, value: 'flights' },
      {
        input: 'measure',
        inputType: 'measure',
        valueType: 'VALUE' as const,
        value: measure,
        config: { dataset: 'ds' },
      },
      { input: 'title', inputType: 'string', valueType: 'VALUE' as const, value: title },
    ],
  };
}

/** The same dashboard with a component nobody registered and a widget whose query fails. */
export const BROKEN_DASHBOARD: DashboardDocument = {
  ...TEST_DASHBOARD,
  id: 'broken-overview',
  name: 'broken-overview',
  widgets: [
    ...TEST_DASHBOARD.widgets.filter((w) => w.id === 'w-count'),
    { ...kpi('w-unknown', 'Unknown', 'flights.count', 4), component: 'NoSuchComponent' },
    kpi('w-failing', 'Failing', 'flights.no_such_measure', 8),
  ],
};
