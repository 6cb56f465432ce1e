import { type DataResponse, mockDataResponse, mockDimension, type ResultValue } from '@inlay/sdk';
import { avgDelay, count, delayedRatio, destination, ds, state, week } from '../fixtures.js';

/** What the smoke page shows: the five standard widgets with flights-like data. */
export interface Scenario {
  id: string;
  component: string;
  inputs: Record<string, unknown>;
  /** Answers by prop name; absent props stay loading. */
  responses: Record<string, DataResponse>;
  width: number;
  height: number;
}

const STATES: [string, number, number][] = [
  ['CA', 62_811, 9.81],
  ['TX', 51_344, 11.2],
  ['IL', 30_112, 13.45],
  ['GA', 27_001, 10.02],
  ['NY', 20_987, 14.7],
  ['FL', 19_450, 8.4],
  ['CO', 15_033, 7.3],
  ['AZ', 12_980, 6.1],
];

const WEEKS: ResultValue[][] = Array.from({ length: 26 }, (_, i) => {
  const d = new Date(Date.UTC(2001, 0, 1 + i * 7)).toISOString().slice(0, 10);
  return [
    `${d}T00:00:00.000`,
    Math.round((0.17 + 0.06 * Math.sin(i / 3) + (i % 5) * 0.004) * 10_000) / 10_000,
  ];
});

const month = mockDimension('flights.date', { type: 'time', granularity: 'month', title: 'Flights date' });
const monthRef = { name: 'flights.date', inputs: { granularity: 'month' } };
const MONTHS = ['2001-01-01T00:00:00.000', '2001-02-01T00:00:00.000', '2001-03-01T00:00:00.000'];
const FEB = {
  ...ds,
  timeRanges: [{ dimension: 'flights.date', dateRange: ['2001-02-01', '2001-02-28'] as [string, string] }],
};

const DESTINATIONS: ResultValue[][] = [
  ['ORD', 18_230],
  ['ATL', 17_004],
  ['DFW', 15_998],
  ['LAX', 13_456],
  ['PHX', 11_002],
  ['DEN', 10_876],
  ['IAH', 9_543],
  ['LAS', 9_012],
  ['DTW', 8_321],
  ['MSP', 7_950],
];

export const scenarios: Scenario[] = [
  {
    id: 'kpi-flights',
    component: 'KpiCard',
    inputs: { ds, measure: count, title: 'Flights' },
    responses: { results: mockDataResponse([count], [[231_718]]) },
    width: 3,
    height: 2,
  },
  {
    id: 'kpi-delay',
    component: 'KpiCard',
    inputs: { ds, measure: avgDelay, title: 'Average delay' },
    responses: { results: mockDataResponse([avgDelay], [[10.6394]]) },
    width: 3,
    height: 2,
  },
  {
    id: 'kpi-huge',
    component: 'KpiCard',
    inputs: { ds, measure: count, title: 'Huge value' },
    responses: { results: mockDataResponse([count], [['98765432109876543210']]) },
    width: 3,
    height: 2,
  },
  {
    id: 'date-range',
    component: 'DateRangePicker',
    inputs: { title: 'Period', value: { from: '2001-01-01', to: '2001-03-31' } },
    responses: {},
    width: 3,
    height: 2,
  },
  {
    id: 'bar-states',
    component: 'BarChart',
    inputs: { ds, dimension: state, measures: [count], title: 'Flights by state' },
    responses: { results: mockDataResponse([state, count, avgDelay], STATES) },
    width: 6,
    height: 4,
  },
  {
    id: 'line-weeks',
    component: 'LineChart',
    inputs: { ds, timeDimension: week, measures: [delayedRatio], title: 'Delayed share by week', area: true },
    responses: { results: mockDataResponse([week, delayedRatio], WEEKS) },
    width: 6,
    height: 4,
  },
  {
    id: 'table-destinations',
    component: 'Table',
    inputs: { ds, columns: [destination, count], title: 'Top destinations', sortBy: count, pageSize: 10 },
    responses: { results: mockDataResponse([destination, count], DESTINATIONS, { total: 212 }) },
    width: 6,
    height: 5,
  },
  {
    id: 'bar-stacked-horizontal',
    component: 'BarChart',
    inputs: {
      ds,
      dimension: state,
      measures: [count, avgDelay],
      title: 'Stacked, horizontal',
      horizontal: true,
      stacked: true,
    },
    responses: { results: mockDataResponse([state, count, avgDelay], STATES.slice(0, 5)) },
    width: 6,
    height: 4,
  },
  {
    id: 'bar-loading',
    component: 'BarChart',
    inputs: { ds, dimension: state, measures: [count], title: 'Loading' },
    responses: {},
    width: 3,
    height: 2,
  },
  {
    id: 'line-error',
    component: 'LineChart',
    inputs: { ds, timeDimension: week, measures: [delayedRatio], title: 'Error' },
    responses: { results: { isLoading: false, error: 'The database did not answer within 30 s' } },
    width: 3,
    height: 2,
  },
  {
    id: 'table-empty',
    component: 'Table',
    inputs: { ds, columns: [destination, count], title: 'Empty' },
    responses: { results: mockDataResponse([destination, count], [], { total: 0 }) },
    width: 6,
    height: 2,
  },
  {
    id: 'pie-states',
    component: 'PieChart',
    inputs: { ds, dimension: state, measure: count, title: 'Share by state' },
    responses: {
      results: mockDataResponse(
        [state, count],
        STATES.map(([s, c]) => [s, c]),
      ),
    },
    width: 4,
    height: 4,
  },
  {
    id: 'dropdown-states',
    component: 'Dropdown',
    inputs: { ds, dimension: state, title: 'States', multiple: true, value: ['CA', 'NY'] },
    responses: {
      options: mockDataResponse(
        [state],
        STATES.map(([s]) => [s]),
      ),
    },
    width: 4,
    height: 4,
  },
  {
    id: 'text-notes',
    component: 'Text',
    inputs: {
      title: 'About this dashboard',
      body: 'Flights leaving **your airports**, January–June 2001.\n\n- Delays are in *minutes*\n- See [the docs](https://example.com)',
    },
    responses: {},
    width: 4,
    height: 4,
  },
  {
    id: 'kpi-compare',
    component: 'KpiCard',
    inputs: { ds: FEB, measure: count, title: 'Flights vs January', comparison: true },
    responses: {
      results: mockDataResponse([count], [[40_024]]),
      previous: mockDataResponse([count], [[44_107]]),
    },
    width: 3,
    height: 2,
  },
  {
    id: 'granularity',
    component: 'GranularityPicker',
    inputs: { title: 'Group by', value: 'week', options: 'day,week,month' },
    responses: {},
    width: 3,
    height: 2,
  },
  {
    id: 'pivot-states',
    component: 'PivotTable',
    inputs: {
      ds,
      rows: [state],
      columns: [monthRef],
      measures: [count],
      title: 'Flights by state and month',
    },
    responses: {
      results: mockDataResponse(
        [state, month, count],
        STATES.slice(0, 4).flatMap(([s, c]) => MONTHS.map((m, i) => [s, m, Math.round(c / 6) + i * 100])),
      ),
      rowTotals: mockDataResponse(
        [state, count],
        STATES.slice(0, 4).map(([s, c]) => [s, Math.round(c / 6) * 3 + 300]),
      ),
      columnTotals: mockDataResponse(
        [month, count],
        MONTHS.map((m, i) => [m, 28_000 + i * 400]),
      ),
      grandTotals: mockDataResponse([count], [[85_200]]),
    },
    width: 6,
    height: 4,
  },
  {
    id: 'heatmap-states',
    component: 'Heatmap',
    inputs: { ds, x: monthRef, y: state, measure: delayedRatio, title: 'Delayed share by state and month' },
    responses: {
      results: mockDataResponse(
        [month, state, delayedRatio],
        MONTHS.flatMap((m, i) =>
          STATES.slice(0, 5).map(([s], j) => [m, s, 0.12 + ((i * 5 + j * 3) % 11) / 50]),
        ),
      ),
    },
    width: 6,
    height: 4,
  },
  {
    id: 'scatter-states',
    component: 'ScatterChart',
    inputs: { ds, x: count, y: avgDelay, dimension: state, title: 'Delay against traffic' },
    responses: { results: mockDataResponse([state, count, avgDelay], STATES) },
    width: 6,
    height: 4,
  },
];
