// @vitest-environment happy-dom
import type { DataResponse } from '@inlay/sdk';
import { describe, expect, it } from 'vitest';
import BarChart, { BAR_LIMIT } from '../src/components/BarChart.js';
import LineChart from '../src/components/LineChart.js';
import {
  avgDelay,
  byState,
  byWeek,
  count,
  delayedRatio,
  ds,
  empty,
  failed,
  loading,
  state,
  week,
} from './fixtures.js';
import { renderWidget, srTable, text } from './harness.js';

describe('BarChart', () => {
  const inputs = { ds, dimension: state, measures: [count, avgDelay], title: 'Flights by state' };

  it('asks for the measures by the dimension, biggest first', () => {
    const { requests } = renderWidget(BarChart, inputs);
    expect(requests.results).toMatchObject({
      from: ds,
      dimensions: [state],
      measures: [count, avgDelay],
      orderBy: [{ property: count, direction: 'desc' }],
      limit: BAR_LIMIT,
    });
  });

  it('renders its numbers as an accessible table, formatted in the client locale', () => {
    const { root } = renderWidget(BarChart, inputs, { results: byState });
    expect(srTable(root)).toEqual([
      ['Origin airports state', 'Flights count', 'Average delay'],
      ['CA', '123,456', '7.89'],
      ['TX', '98,765', '10.5'],
      ['NY', '4,321', '-1.25'],
    ]);
    expect(root.querySelector('h2')?.textContent).toBe('Flights by state');
    expect(root.querySelector('.inlay-chart')?.getAttribute('aria-hidden')).toBe('true');

    const de = renderWidget(BarChart, inputs, { results: byState }, { clientContext: { locale: 'de-DE' } });
    expect(srTable(de.root)[1]).toEqual(['CA', '123.456', '7,89']);
  });

  it('loading, empty, error and unconfigured states are announced text', () => {
    const l = renderWidget(BarChart, inputs, { results: loading }).root;
    expect(l.querySelector('[role="status"][aria-busy="true"]')?.textContent).toContain('Loading');
    expect(l.querySelector('table')).toBeNull();
    expect(text(renderWidget(BarChart, inputs, { results: empty() }).root)).toContain(
      'No data for these filters.',
    );
    const e = renderWidget(BarChart, inputs, { results: failed }).root;
    expect(e.querySelector('[role="alert"]')?.textContent).toContain('flights.nope does not exist');
    const u = renderWidget(BarChart, { ds, measures: [] });
    expect(u.requests.results).toBeUndefined();
    expect(text(u.root)).toContain('Choose a dimension and at least one measure.');
  });
});

describe('LineChart', () => {
  const inputs = {
    ds,
    timeDimension: week,
    measures: [delayedRatio],
    title: 'Delayed share by week',
    area: true,
  };

  it('asks for the time dimension at its granularity, in time order', () => {
    const { requests } = renderWidget(LineChart, inputs);
    expect(requests.results).toMatchObject({
      timeDimensions: [{ dimension: 'flights.date', granularity: 'week' }],
      orderBy: [{ property: 'flights.date', direction: 'asc' }],
    });
    const noGranularity = renderWidget(LineChart, { ...inputs, timeDimension: { name: 'flights.date' } });
    expect(noGranularity.requests.results?.timeDimensions?.[0]?.granularity).toBe('day');
  });

  it('formats dates per granularity (as written, not shifted by the zone) and percents', () => {
    const ctx = { locale: 'en-US', timezone: 'America/Los_Angeles' };
    const { root } = renderWidget(LineChart, inputs, { results: byWeek }, { clientContext: ctx });
    expect(srTable(root)).toEqual([
      ['Flights date', 'Flights delayed ratio'],
      ['Jan 1, 2001', '18.3%'],
      ['Jan 8, 2001', '20%'],
      ['Jan 15, 2001', '–'],
    ]);
    const ja = renderWidget(LineChart, inputs, { results: byWeek }, { clientContext: { locale: 'ja-JP' } });
    expect(srTable(ja.root)[1]).toEqual(['2001年1月1日', '18.3%']);
  });

  it('error state', () => {
    const e = renderWidget(LineChart, inputs, { results: failed }).root;
    expect(e.querySelector('[role="alert"]')).not.toBeNull();
  });
});

describe('reloading keeps the last answer on screen', () => {
  it('a chart refetching after a variable change shows the previous numbers, dimmed, not a skeleton', async () => {
    const { act, createElement } = await import('react');
    const { createRoot } = await import('react-dom/client');
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
    const container = document.createElement('div');
    const root = createRoot(container);
    const props = { dimension: state, measures: [count], horizontal: false, stacked: false };
    const render = (results: DataResponse) =>
      act(async () => root.render(createElement(BarChart.Component, { ...props, results })));
    await render(byState);
    await render(loading);
    expect(container.querySelector('[aria-busy="true"] .inlay-skeleton')).toBeNull();
    expect(srTable(container)[1]).toEqual(['CA', '123,456']);
    expect(container.querySelector('.inlay-chart')?.className).toContain('inlay-reloading');
    await render(failed);
    expect(container.querySelector('[role="alert"]')).not.toBeNull();
    expect(container.querySelector('table')).toBeNull();
    await act(async () => root.unmount());
  });
});
