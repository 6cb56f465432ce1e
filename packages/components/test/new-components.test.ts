// @vitest-environment happy-dom
import { mockDataResponse, mockDimension } from '@inlay/sdk';
import { describe, expect, it } from 'vitest';
import GranularityPicker, { parseOptions } from '../src/components/GranularityPicker.js';
import Heatmap, { HEATMAP_LIMIT } from '../src/components/Heatmap.js';
import PivotTable, { PIVOT_LIMIT } from '../src/components/PivotTable.js';
import ScatterChart, { SCATTER_LIMIT } from '../src/components/ScatterChart.js';
import { MAX_COLUMN_KEYS } from '../src/pivot/shape.js';
import { avgDelay, count, ds, empty, failed, loading, state } from './fixtures.js';
import { renderWidget, srTable, text } from './harness.js';
import { mountWidget } from './mini-runtime.js';

const month = mockDimension('flights.date', { type: 'time', granularity: 'month', title: 'Flights date' });
const monthRef = { name: 'flights.date', inputs: { granularity: 'month' } };

/** Every row of a table element as text, header rows first. */
const cells = (table: Element | null) =>
  [...(table?.querySelectorAll('tr') ?? [])].map((tr) =>
    [...tr.children].map((c) => (c.textContent ?? '').trim()),
  );

describe('PivotTable', () => {
  const inputs = {
    ds,
    rows: [state],
    columns: [monthRef],
    measures: [count],
    title: 'Flights by state and month',
  };
  const grouped = mockDataResponse(
    [state, month, count],
    [
      ['CA', '2001-01-01T00:00:00.000', 100],
      ['CA', '2001-02-01T00:00:00.000', 90],
      ['TX', '2001-02-01T00:00:00.000', 70],
      ['TX', '2001-01-01T00:00:00.000', 80],
    ],
  );
  const totals = {
    rowTotals: mockDataResponse(
      [state, count],
      [
        ['CA', 190],
        ['TX', 150],
      ],
    ),
    columnTotals: mockDataResponse(
      [month, count],
      [
        ['2001-01-01T00:00:00.000', 180],
        ['2001-02-01T00:00:00.000', 160],
      ],
    ),
    grandTotals: mockDataResponse([count], [[340]]),
  };

  it('asks for the grouped measures and, for totals, the server’s own aggregates', () => {
    const { requests } = renderWidget(PivotTable, inputs);
    expect(requests.results).toMatchObject({
      dimensions: [state, monthRef],
      measures: [count],
      limit: PIVOT_LIMIT,
    });
    expect(requests.rowTotals).toMatchObject({ dimensions: [state], measures: [count] });
    expect(requests.columnTotals).toMatchObject({ dimensions: [monthRef], measures: [count] });
    expect(requests.grandTotals).toMatchObject({ measures: [count], limit: 1 });
    expect(requests.grandTotals?.dimensions).toBeUndefined();
    const none = renderWidget(PivotTable, { ...inputs, totals: false }).requests;
    expect(Object.keys(none)).toEqual(['results']);
  });

  it('a real table: scoped row and column headers, sorted keys, totals row and column', () => {
    const { root } = renderWidget(PivotTable, inputs, { results: grouped, ...totals });
    const table = root.querySelector('table.inlay-pivot');
    expect(cells(table)).toEqual([
      ['Origin airports state', 'Jan 2001', 'Feb 2001', 'Total'],
      ['CA', '100', '90', '190'],
      ['TX', '80', '70', '150'],
      ['Total', '180', '160', '340'],
    ]);
    expect([...table!.querySelectorAll('thead th[scope="col"]')].map((t) => t.textContent)).toEqual([
      'Origin airports state',
      'Jan 2001',
      'Feb 2001',
      'Total',
    ]);
    expect([...table!.querySelectorAll('tbody th[scope="row"]')].map((t) => t.textContent)).toEqual([
      'CA',
      'TX',
    ]);
    expect(table!.querySelector('caption')?.textContent).toBe(
      'Flights by state and month by Origin airports state across Flights date',
    );
  });

  it('several measures: a header level per column key, a measure row under it', () => {
    const two = mockDataResponse(
      [state, month, count, avgDelay],
      [
        ['CA', '2001-01-01T00:00:00.000', 100, 1.5],
        ['CA', '2001-02-01T00:00:00.000', 90, 2],
      ],
    );
    const { root } = renderWidget(
      PivotTable,
      { ...inputs, measures: [count, avgDelay], totals: false },
      { results: two },
    );
    const table = root.querySelector('table');
    expect(cells(table)).toEqual([
      ['Flights date', 'Jan 2001', 'Feb 2001'],
      ['Origin airports state', 'Flights count', 'Average delay', 'Flights count', 'Average delay'],
      ['CA', '100', '1.5', '90', '2'],
    ]);
    expect(table!.querySelector('thead th[scope="colgroup"]')?.getAttribute('colspan')).toBe('2');
  });

  it('rows only, loading/empty/error, too many columns', () => {
    const byState = renderWidget(
      PivotTable,
      { ds, rows: [state], measures: [count] },
      {
        results: mockDataResponse(
          [state, count],
          [
            ['TX', 2],
            ['CA', 1],
          ],
        ),
        grandTotals: mockDataResponse([count], [[3]]),
      },
    );
    expect(cells(byState.root.querySelector('table'))).toEqual([
      ['Origin airports state', 'Flights count'],
      ['CA', '1'],
      ['TX', '2'],
      ['Total', '3'],
    ]);
    expect(
      renderWidget(PivotTable, inputs, { results: loading }).root.querySelector('[aria-busy="true"]'),
    ).not.toBeNull();
    expect(text(renderWidget(PivotTable, inputs, { results: empty() }).root)).toContain(
      'No data for these filters.',
    );
    expect(
      renderWidget(PivotTable, inputs, { results: failed }).root.querySelector('[role="alert"]'),
    ).not.toBeNull();
    expect(text(renderWidget(PivotTable, { ds, rows: [state] }).root)).toContain(
      'Choose at least one measure.',
    );
    const wide = mockDataResponse(
      [state, month, count],
      Array.from({ length: MAX_COLUMN_KEYS + 5 }, (_, i) => [
        'CA',
        `20${String(i).padStart(2, '0')}-01-01T00:00:00.000`,
        i,
      ]),
    );
    const w = renderWidget(PivotTable, { ...inputs, totals: false }, { results: wide }).root;
    expect(cells(w.querySelector('table'))[0]).toHaveLength(MAX_COLUMN_KEYS + 1);
    expect(text(w)).toContain('5 more columns not shown');
  });
});

describe('Heatmap', () => {
  const inputs = { ds, x: monthRef, y: state, measure: count, title: 'Flights by state and month' };
  it('asks for the measure by both dimensions and tables it as a matrix (y rows, x columns)', () => {
    const res = mockDataResponse(
      [month, state, count],
      [
        ['2001-01-01T00:00:00.000', 'TX', 80],
        ['2001-01-01T00:00:00.000', 'CA', 100],
        ['2001-02-01T00:00:00.000', 'CA', 1234567],
      ],
    );
    const { root, requests } = renderWidget(Heatmap, inputs, { results: res });
    expect(requests.results).toMatchObject({
      dimensions: [monthRef, state],
      measures: [count],
      limit: HEATMAP_LIMIT,
    });
    expect(srTable(root)).toEqual([
      ['Origin airports state', 'Jan 2001', 'Feb 2001'],
      ['CA', '100', '1,234,567'],
      ['TX', '80', '–'],
    ]);
    expect(root.querySelector('.inlay-chart')?.getAttribute('aria-hidden')).toBe('true');
    expect(
      renderWidget(Heatmap, inputs, { results: failed }).root.querySelector('[role="alert"]'),
    ).not.toBeNull();
    expect(text(renderWidget(Heatmap, { ds, x: state }).root)).toContain(
      'Choose two dimensions and a measure.',
    );
  });
});

describe('ScatterChart', () => {
  const inputs = { ds, x: count, y: avgDelay, dimension: state, title: 'Delay against traffic' };
  it('one point per dimension value; its numbers in the accessible table', () => {
    const res = mockDataResponse(
      [state, count, avgDelay],
      [
        ['CA', 62811, 9.81],
        ['TX', 51344, -1.25],
      ],
    );
    const { root, requests } = renderWidget(ScatterChart, inputs, { results: res });
    expect(requests.results).toMatchObject({
      dimensions: [state],
      measures: [count, avgDelay],
      orderBy: [{ property: count, direction: 'desc' }],
      limit: SCATTER_LIMIT,
    });
    expect(srTable(root)).toEqual([
      ['Origin airports state', 'Flights count', 'Average delay'],
      ['CA', '62,811', '9.81'],
      ['TX', '51,344', '-1.25'],
    ]);
    expect(text(renderWidget(ScatterChart, inputs, { results: empty() }).root)).toContain('No data');
    expect(text(renderWidget(ScatterChart, { ds, x: count }).root)).toContain(
      'Choose two measures and a dimension.',
    );
  });
});

describe('GranularityPicker', () => {
  it('offers the known granularities given, labelled, and emits the chosen one', async () => {
    expect(parseOptions('Day, week,fortnight,month,week')).toEqual(['day', 'week', 'month']);
    expect(parseOptions('')).toEqual(['day', 'week', 'month', 'quarter', 'year']);
    const w = await mountWidget(
      GranularityPicker,
      { title: 'Group by', value: 'week', options: 'day,week,month' },
      () => {
        throw new Error('loads nothing');
      },
    );
    const select = w.container.querySelector('select') as HTMLSelectElement;
    expect(w.container.querySelector(`label[for="${select.id}"]`)?.textContent).toBe('Group by');
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ['day', 'Day'],
      ['week', 'Week'],
      ['month', 'Month'],
    ]);
    expect(select.value).toBe('week');
    await w.act(() => {
      select.value = 'month';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(w.events).toEqual([{ event: 'onChange', properties: { value: 'month' } }]);
    await w.unmount();
    // A value the host set outside the choices is still shown.
    const odd = renderWidget(GranularityPicker, { value: 'Quarter', options: 'day,week' }).root;
    expect([...odd.querySelectorAll('option')].map((o) => o.getAttribute('value'))).toEqual([
      'day',
      'week',
      'quarter',
    ]);
  });
});
