import type { DashboardDocument, DashboardWidget, WidgetInput } from '@inlay/core';

/**
 * A dashboard using every standard component on the flights models, for the live end-to-end
 * test (`../standard-components.browser.test.ts`). Variables: `date_range` (default February
 * 2001, filters the `flights` dataset), `grain` (the line chart's granularity, set by the
 * granularity picker). The `all_flights` dataset has no date filter (the dropdown, the pivot).
 */

export const FEB_2001 = { from: '2001-02-01', to: '2001-02-28' };

const value = (input: string, v: unknown, extra: Partial<WidgetInput> = {}): WidgetInput => ({
  input,
  valueType: 'VALUE',
  value: v,
  ...extra,
});
const ds = (name = 'flights') => value('ds', name, { inputType: 'dataset' });
const member = (input: string, v: string | string[], inputType = 'measure') =>
  value(input, v, { inputType, config: { dataset: 'ds' } });
const setVariable = (variable: string) => [
  {
    event: 'onChange',
    action: 'SET_VARIABLE' as const,
    config: { variable, sourceType: 'EVENT_PROPERTY' as const, sourceValue: 'value' },
  },
];

/** `flights.date` with its `granularity` sub-input: a value, or a variable's name. */
const timeMember = (input: string, granularity: string, valueType: 'VALUE' | 'VARIABLE' = 'VALUE') =>
  value(input, 'flights.date', {
    inputType: 'dimension',
    config: { dataset: 'ds', inputs: [{ input: 'granularity', valueType, value: granularity }] },
  });

function widget(
  id: string,
  component: string,
  [x, y, width, height]: [number, number, number, number],
  inputs: WidgetInput[],
  events?: DashboardWidget['events'],
): DashboardWidget {
  return {
    id,
    component,
    position: { x, y },
    dimensions: { width, height },
    inputs,
    ...(events ? { events } : {}),
  };
}

export const ALL_COMPONENTS: DashboardDocument = {
  id: 'all-components',
  name: 'all-components',
  title: 'Every standard component',
  version: 'v1',
  variables: [
    { name: 'date_range', type: 'timeRange', defaultValue: FEB_2001 },
    { name: 'grain', type: 'granularity', defaultValue: 'week' },
  ],
  datasets: [
    {
      name: 'flights',
      model: 'flights',
      filters: [
        { member: 'flights.date', operator: 'inDateRange', valueType: 'VARIABLE', value: 'date_range' },
      ],
    },
    { name: 'all_flights', model: 'flights' },
    // Joined from flights (origin and destination airports): a token reads only the models its
    // dashboard's datasets name, so these name them.
    { name: 'airports', model: 'airports' },
    { name: 'destinations', model: 'destinations' },
  ],
  widgets: [
    widget(
      'range',
      'DateRangePicker',
      [0, 0, 3, 3],
      [value('title', 'Date range'), value('value', 'date_range', { valueType: 'VARIABLE' })],
      setVariable('date_range'),
    ),
    widget(
      'grain',
      'GranularityPicker',
      [3, 0, 2, 3],
      [
        value('title', 'Group by'),
        value('value', 'grain', { valueType: 'VARIABLE' }),
        value('options', 'day,week,month'),
      ],
      setVariable('grain'),
    ),
    widget(
      'kpi-flights',
      'KpiCard',
      [5, 0, 3, 3],
      [
        ds(),
        member('measure', 'flights.count'),
        value('title', 'Flights'),
        member('timeDimension', 'flights.date', 'dimension'),
        value('comparison', true),
      ],
    ),
    widget(
      'kpi-delay',
      'KpiCard',
      [8, 0, 4, 3],
      [
        ds(),
        member('measure', 'flights.avg_delay'),
        value('title', 'Average delay (min)'),
        member('timeDimension', 'flights.date', 'dimension'),
        value('comparison', 'previous period'),
        value('higherIsBetter', false),
      ],
    ),
    widget(
      'line',
      'LineChart',
      [0, 3, 8, 5],
      [
        ds(),
        timeMember('timeDimension', 'grain', 'VARIABLE'),
        member('measures', ['flights.count', 'flights.delayed_count']),
        value('title', 'Flights and delayed flights'),
        value('comparison', 'previous period'),
      ],
    ),
    widget(
      'notes',
      'Text',
      [8, 3, 4, 2],
      [
        value('title', 'About these numbers'),
        value('body', 'Flights **leaving your airports**, February 2001 unless you pick another range.'),
      ],
    ),
    widget(
      'states',
      'Dropdown',
      [8, 5, 4, 3],
      [
        ds('all_flights'),
        member('dimension', 'airports.state', 'dimension'),
        value('title', 'Origin state'),
        value('multiple', true),
        // Through the flights rows (and their row-level security): the tenant's own states only.
        member('measure', 'flights.count'),
      ],
    ),
    widget(
      'bars',
      'BarChart',
      [0, 8, 6, 5],
      [
        ds(),
        member('dimension', 'airports.state', 'dimension'),
        member('measures', ['flights.count', 'flights.delayed_count']),
        value('title', 'Flights by state'),
        value('horizontal', true),
        value('stacked', true),
      ],
    ),
    widget(
      'area',
      'LineChart',
      [6, 8, 6, 5],
      [
        ds(),
        timeMember('timeDimension', 'day'),
        member('measures', ['flights.avg_delay']),
        value('title', 'Average delay by day'),
        value('area', true),
      ],
    ),
    widget(
      'pie',
      'PieChart',
      [0, 13, 4, 5],
      [
        ds(),
        member('dimension', 'destinations.state', 'dimension'),
        member('measure', 'flights.count'),
        value('title', 'Destination states'),
      ],
    ),
    widget(
      'table',
      'Table',
      [4, 13, 8, 5],
      [
        ds(),
        member(
          'columns',
          ['flights.destination', 'flights.count', 'flights.avg_delay'],
          'dimensionOrMeasure',
        ),
        value('title', 'Top destinations'),
        member('sortBy', 'flights.count', 'dimensionOrMeasure'),
        value('sortDirection', 'desc'),
        value('pageSize', 6),
      ],
    ),
    widget(
      'pivot',
      'PivotTable',
      [0, 18, 7, 5],
      [
        ds('all_flights'),
        member('rows', ['airports.state'], 'dimension'),
        { ...timeMember('columns', 'month'), value: ['flights.date'] },
        member('measures', ['flights.count']),
        value('title', 'Flights by state and month (all time)'),
      ],
    ),
    widget(
      'heatmap',
      'Heatmap',
      [7, 18, 5, 5],
      [
        ds(),
        timeMember('x', 'week'),
        member('y', 'airports.state', 'dimension'),
        member('measure', 'flights.delayed_ratio'),
        value('title', 'Delayed share by state and week'),
      ],
    ),
    widget(
      'scatter',
      'ScatterChart',
      [0, 23, 12, 5],
      [
        ds(),
        member('x', 'flights.count'),
        member('y', 'flights.avg_delay'),
        member('dimension', 'flights.origin', 'dimension'),
        value('title', 'Average delay against traffic, by origin airport'),
      ],
    ),
  ],
};
