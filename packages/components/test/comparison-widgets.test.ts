// @vitest-environment happy-dom
import { type DatasetRef, mockDataResponse, mockDimension } from '@inlay/sdk';
import { describe, expect, it } from 'vitest';
import KpiCard from '../src/components/KpiCard.js';
import LineChart from '../src/components/LineChart.js';
import { count, ds, failed, loading } from './fixtures.js';
import { renderWidget, srTable, text } from './harness.js';

const feb: DatasetRef = {
  ...ds,
  filters: [{ member: 'airports.state', operator: 'equals', values: ['CA'] }],
  timeRanges: [{ dimension: 'flights.date', dateRange: ['2001-02-01', '2001-02-28'] }],
};
const date = { name: 'flights.date' };
const one = (n: number | null) => mockDataResponse([count], [[n]]);

describe('KpiCard: change versus the previous period', () => {
  const inputs = { ds: feb, measure: count, title: 'Flights', timeDimension: date, comparison: true };

  it('loads the measure over the previous period on the dataset without its own range', () => {
    const { requests } = renderWidget(KpiCard, inputs);
    expect(requests.results).toMatchObject({ from: feb, measures: [count], limit: 1 });
    expect(requests.results?.timeDimensions).toBeUndefined();
    expect(requests.previous).toMatchObject({
      from: { ...feb, timeRanges: [] },
      measures: [count],
      timeDimensions: [{ dimension: 'flights.date', dateRange: ['2001-01-01', '2001-01-31'] }],
      limit: 1,
    });
  });

  it('shows ▲/▼ and the percent, in colour and in words', () => {
    const up = renderWidget(KpiCard, inputs, { results: one(110), previous: one(100) }).root;
    expect(up.querySelector('.inlay-kpi-value')?.textContent).toBe('110');
    expect(up.querySelector('.inlay-kpi-delta')?.textContent).toBe('▲ 10%');
    expect(up.querySelector('.inlay-kpi-change')?.className).toContain('inlay-good');
    const spoken = up.querySelector('.inlay-kpi-change .inlay-sr-only')?.textContent ?? '';
    expect(spoken).toMatch(/^up 10% versus the previous period \(100 in Jan 1\s–\s31, 2001\)$/);
    expect(up.querySelector('.inlay-kpi-previous')?.textContent).toBe('vs 100');

    const down = renderWidget(
      KpiCard,
      { ...inputs, higherIsBetter: false, comparison: 'previous year' },
      { results: one(87.66), previous: one(100) },
    ).root;
    expect(down.querySelector('.inlay-kpi-delta')?.textContent).toBe('▼ 12.3%');
    expect(down.querySelector('.inlay-kpi-change')?.className).toContain('inlay-good');
    expect(text(down)).toContain('down 12.3% versus the previous year');

    const worse = renderWidget(
      KpiCard,
      { ...inputs, higherIsBetter: false },
      { results: one(120), previous: one(100) },
    );
    expect(worse.root.querySelector('.inlay-kpi-change')?.className).toContain('inlay-bad');
    const fr = renderWidget(
      KpiCard,
      inputs,
      { results: one(1234.5), previous: one(1000) },
      { clientContext: { locale: 'fr-FR' } },
    );
    expect(text(fr.root)).toContain('up 23,5 % versus');
  });

  it('no previous value, no change, loading and failing comparisons stay quiet', () => {
    const zero = renderWidget(KpiCard, inputs, { results: one(5), previous: one(0) }).root;
    expect(zero.querySelector('.inlay-kpi-delta')).toBeNull();
    expect(text(zero)).toContain('No change can be computed versus the previous period');
    const same = renderWidget(KpiCard, inputs, { results: one(100.01), previous: one(100) }).root;
    expect(same.querySelector('.inlay-kpi-delta')?.textContent).toBe('= 0%');
    expect(text(same)).toContain('no change versus the previous period');
    const pending = renderWidget(KpiCard, inputs, { results: one(5), previous: loading }).root;
    expect(pending.querySelector('.inlay-kpi-note[aria-busy="true"]')?.textContent).toBe('Comparing…');
    const broken = renderWidget(KpiCard, inputs, { results: one(5), previous: failed }).root;
    expect(text(broken)).toContain('The comparison could not be loaded.');
    expect(broken.querySelector('.inlay-kpi-value')?.textContent).toBe('5');
  });

  it('all time: no comparison query, a quiet note; a dateRange input applies to both queries', () => {
    const all = renderWidget(KpiCard, { ...inputs, ds }, { results: one(5) });
    expect(all.requests.previous).toBeUndefined();
    expect(all.root.querySelector('.inlay-kpi-note')?.textContent).toBe('No comparison for all time.');
    const plain = renderWidget(KpiCard, { ds, measure: count }, { results: one(5) });
    expect(plain.root.querySelector('.inlay-kpi-note')).toBeNull();

    const own = renderWidget(KpiCard, { ...inputs, ds, dateRange: { from: '2001-03-01', to: '2001-03-10' } });
    expect(own.requests.results?.timeDimensions).toEqual([
      { dimension: 'flights.date', dateRange: ['2001-03-01', '2001-03-10'] },
    ]);
    expect(own.requests.previous?.timeDimensions).toEqual([
      { dimension: 'flights.date', dateRange: ['2001-02-19', '2001-02-28'] },
    ]);
  });
});

describe('LineChart: the previous period as dashed lines, aligned bucket by bucket', () => {
  const week = mockDimension('flights.date', { type: 'time', granularity: 'week', title: 'Flights date' });
  const inputs = {
    ds: feb,
    timeDimension: { name: 'flights.date', inputs: { granularity: 'week' } },
    measures: [count],
    comparison: true,
  };

  it('asks for the previous period at the same granularity', () => {
    const { requests } = renderWidget(LineChart, inputs);
    expect(requests.results?.timeDimensions).toEqual([{ dimension: 'flights.date', granularity: 'week' }]);
    expect(requests.previous).toMatchObject({
      from: { ...feb, timeRanges: [] },
      timeDimensions: [
        { dimension: 'flights.date', granularity: 'week', dateRange: ['2001-01-01', '2001-01-31'] },
      ],
      orderBy: [{ property: 'flights.date', direction: 'asc' }],
    });
  });

  it('the k-th week of February beside the k-th week of January; a missing week is a gap, not a shift', () => {
    const current = mockDataResponse(
      [week, count],
      [
        ['2001-01-29T00:00:00.000', 10],
        ['2001-02-05T00:00:00.000', 20],
        ['2001-02-12T00:00:00.000', 30],
        ['2001-02-19T00:00:00.000', 40],
      ],
    );
    const previous = mockDataResponse(
      [week, count],
      [
        ['2001-01-01T00:00:00.000', 1],
        ['2001-01-08T00:00:00.000', 2],
        ['2001-01-22T00:00:00.000', 4],
      ],
    );
    const { root } = renderWidget(LineChart, inputs, { results: current, previous });
    expect(srTable(root)).toEqual([
      ['Flights date', 'Flights count', 'Flights count (previous period)'],
      ['Jan 29, 2001', '10', '1'],
      ['Feb 5, 2001', '20', '2'],
      ['Feb 12, 2001', '30', '–'],
      ['Feb 19, 2001', '40', '4'],
    ]);
    // While the previous period loads, the current lines alone.
    const only = renderWidget(LineChart, inputs, { results: current, previous: loading });
    expect(srTable(only.root)[0]).toEqual(['Flights date', 'Flights count']);
    const all = renderWidget(LineChart, { ...inputs, ds }, { results: current });
    expect(all.requests.previous).toBeUndefined();
    expect(text(all.root)).toContain('No comparison for all time.');
  });
});
