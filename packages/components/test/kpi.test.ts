// @vitest-environment happy-dom
import { mockDataResponse } from '@inlay/sdk';
import { describe, expect, it } from 'vitest';
import KpiCard from '../src/components/KpiCard.js';
import { avgDelay, count, delayedRatio, ds, empty, failed, loading } from './fixtures.js';
import { renderWidget, text } from './harness.js';

describe('KpiCard', () => {
  it('asks for one row of the measure', () => {
    const { requests } = renderWidget(KpiCard, { ds, measure: count, title: 'Flights' });
    expect(requests.results).toMatchObject({ from: ds, measures: [count], limit: 1 });
  });

  it('shows the value as text in the client locale, titled by the input or the member', () => {
    const res = mockDataResponse([avgDelay], [[12.3456]]);
    const { root } = renderWidget(
      KpiCard,
      { ds, measure: avgDelay, title: 'Average delay (min)' },
      { results: res },
    );
    expect(root.querySelector('h2')?.textContent).toBe('Average delay (min)');
    expect(root.querySelector('.inlay-kpi-value')?.textContent).toBe('12.35');
    const fr = renderWidget(
      KpiCard,
      { ds, measure: avgDelay },
      { results: res },
      { clientContext: { locale: 'fr-FR' } },
    );
    expect(fr.root.querySelector('h2')?.textContent).toBe('Average delay');
    expect(fr.root.querySelector('.inlay-kpi-value')?.textContent).toBe('12,35');
    const pct = renderWidget(
      KpiCard,
      { ds, measure: delayedRatio },
      { results: mockDataResponse([delayedRatio], [[0.2049]]) },
    );
    expect(pct.root.querySelector('.inlay-kpi-value')?.textContent).toBe('20.5%');
  });

  it('huge values: short on screen, every digit for screen readers', () => {
    const res = mockDataResponse([count], [['98765432109876543210']]);
    const { root } = renderWidget(KpiCard, { ds, measure: count }, { results: res });
    const value = root.querySelector('.inlay-kpi-value')!;
    expect(value.querySelector('[aria-hidden="true"]')?.textContent).toBe('9.88E19');
    expect(value.querySelector('.inlay-sr-only')?.textContent).toBe('98,765,432,109,876,543,210');
    expect(value.getAttribute('title')).toBe('98,765,432,109,876,543,210');
  });

  it('loading, empty, error, unconfigured', () => {
    expect(
      renderWidget(KpiCard, { ds, measure: count }, { results: loading }).root.querySelector(
        '[aria-busy="true"]',
      ),
    ).not.toBeNull();
    expect(text(renderWidget(KpiCard, { ds, measure: count }, { results: empty() }).root)).toContain(
      'No value',
    );
    expect(
      renderWidget(KpiCard, { ds, measure: count }, { results: failed }).root.querySelector('[role="alert"]')
        ?.textContent,
    ).toContain('flights.nope');
    const u = renderWidget(KpiCard, { ds });
    expect(u.requests.results).toBeUndefined();
    expect(text(u.root)).toContain('Choose a measure.');
  });
});
