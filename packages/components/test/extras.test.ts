// @vitest-environment happy-dom
import { type LoadDataRequest, mockDataResponse, Value } from '@inlay/sdk';
import { act } from 'react';
import { describe, expect, it, vi } from 'vitest';
import Dropdown, { OPTION_LIMIT } from '../src/components/Dropdown.js';
import PieChart, { PIE_LIMIT } from '../src/components/PieChart.js';
import Text from '../src/components/Text.js';
import { standardComponents } from '../src/registry.js';
import { count, ds, failed, state } from './fixtures.js';
import { renderWidget, srTable, text } from './harness.js';
import { mountWidget } from './mini-runtime.js';

describe('PieChart', () => {
  const inputs = { ds, dimension: state, measure: count, title: 'Share by state' };
  it('asks for the biggest slices and tables the numbers', () => {
    const res = mockDataResponse(
      [state, count],
      [
        ['CA', 62811],
        ['TX', 51344],
      ],
    );
    const { root, requests } = renderWidget(PieChart, inputs, { results: res });
    expect(requests.results).toMatchObject({
      limit: PIE_LIMIT,
      orderBy: [{ property: 'flights.count', direction: 'desc' }],
    });
    expect(srTable(root)).toEqual([
      ['Origin airports state', 'Flights count'],
      ['CA', '62,811'],
      ['TX', '51,344'],
    ]);
    expect(
      renderWidget(PieChart, inputs, { results: failed }).root.querySelector('[role="alert"]'),
    ).not.toBeNull();
  });
});

describe('Dropdown', () => {
  const STATES = ['AZ', 'CA', 'CO', 'NJ', 'NY', 'TX'];
  const answer = (req: LoadDataRequest) => {
    const f = req.filters?.[0];
    const term = f && 'values' in f ? String(f.values?.[0]).toLowerCase() : '';
    return mockDataResponse(
      [state],
      STATES.filter((s) => s.toLowerCase().includes(term)).map((s) => [s]),
    );
  };

  it('loads the values of the dimension through loadData (the tenant’s own), searches on the server', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const w = await mountWidget(Dropdown, { ds, dimension: state, title: 'States', multiple: true }, answer);
    expect(w.requests[0]?.request).toMatchObject({ dimensions: [state], limit: OPTION_LIMIT });
    expect([...w.container.querySelectorAll('.inlay-option')].map((o) => o.textContent)).toEqual(STATES);
    expect(w.container.querySelector('legend')?.textContent).toBe('States');

    const search = w.container.querySelector('input[type="search"]') as HTMLInputElement;
    await act(async () => {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(search, 'n');
      search.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await act(async () => vi.advanceTimersByTime(300));
    vi.useRealTimers();
    expect(w.requests.at(-1)?.request.filters).toEqual([
      { member: 'airports.state', operator: 'contains', values: ['n'] },
    ]);
    expect([...w.container.querySelectorAll('.inlay-option')].map((o) => o.textContent)).toEqual([
      'NJ',
      'NY',
    ]);

    await w.click(w.container.querySelectorAll('.inlay-option input')[0]);
    await w.click(w.container.querySelectorAll('.inlay-option input')[1]);
    await w.click([...w.container.querySelectorAll('button')].find((b) => b.textContent === 'Clear'));
    expect(w.events.map((e) => e.properties.value)).toEqual([['NJ'], ['NJ', 'NY'], null]);
    await w.unmount();
  });

  it('a single-choice dropdown is radios; Value.noFilter() selects nothing', () => {
    const { root } = renderWidget(
      Dropdown,
      { ds, dimension: state, value: Value.noFilter() },
      { options: mockDataResponse([state], [['CA'], ['NY']]) },
    );
    const radios = [...root.querySelectorAll('input[type="radio"]')];
    expect(radios).toHaveLength(2);
    expect(radios.some((r) => r.hasAttribute('checked'))).toBe(false);
    const sel = renderWidget(
      Dropdown,
      { ds, dimension: state, value: ['NY'] },
      { options: mockDataResponse([state], [['CA'], ['NY']]) },
    );
    expect(sel.root.querySelector('input[value="NY"]')?.hasAttribute('checked')).toBe(true);
  });
});

describe('Text', () => {
  it('renders a safe Markdown subset as elements, never as HTML', () => {
    const body =
      '# Notes\n\nFlights **on time** are *good*; see [docs](https://example.com) or [x](javascript:alert(1)).\n\n- one\n- two\n\n<img src=x onerror=alert(1)>';
    const { root } = renderWidget(Text, { title: 'About', body });
    expect(root.querySelector('h3')?.textContent).toBe('Notes');
    expect(root.querySelector('strong')?.textContent).toBe('on time');
    expect(root.querySelector('em')?.textContent).toBe('good');
    expect([...root.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual([
      'https://example.com',
    ]);
    expect(root.querySelectorAll('li')).toHaveLength(2);
    expect(root.querySelector('img')).toBeNull();
    expect(text(root)).toContain('<img src=x onerror=alert(1)>');
  });
});

it('the registry lazily loads every standard component by its meta name', async () => {
  for (const [name, load] of Object.entries(standardComponents)) {
    const def = (await load()).default;
    expect(def.meta.name).toBe(name);
    expect(typeof def.Component).toBe('function');
    expect(def.styles).toContain('.inlay-sr-only');
  }
  expect(Object.keys(standardComponents).slice(0, 5)).toEqual([
    'KpiCard',
    'BarChart',
    'LineChart',
    'Table',
    'DateRangePicker',
  ]);
});
