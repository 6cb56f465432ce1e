// @vitest-environment happy-dom
import { Value } from '@inlay/sdk';
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import DateRangePicker, { choiceOf, PRESETS } from '../src/components/DateRangePicker.js';
import { renderWidget } from './harness.js';
import { mountWidget } from './mini-runtime.js';

function change(el: Element | null, value: string) {
  const input = el as HTMLInputElement | HTMLSelectElement;
  // React listens for the native event; set the value the way a user agent does.
  const proto = Object.getPrototypeOf(input);
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(input, value);
  input.dispatchEvent(new Event('change', { bubbles: true }));
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('DateRangePicker', () => {
  it('is a labelled select with the presets and a custom choice', () => {
    const { root } = renderWidget(DateRangePicker, { title: 'Period' });
    const select = root.querySelector('select')!;
    const label = root.querySelector(`label[for="${select.id}"]`);
    expect(label?.textContent).toBe('Period');
    expect([...select.querySelectorAll('option')].map((o) => o.textContent)).toEqual([
      'All time',
      'Last 7 days',
      'Last 30 days',
      'Last 90 days',
      'This month',
      'Last month',
      'This year',
      'Last year',
      'Custom…',
    ]);
  });

  it('shows the variable’s value: none is all time, relative strings in any case, from/to as custom', () => {
    expect(choiceOf(undefined)).toBe('all');
    expect(choiceOf(Value.noFilter())).toBe('all');
    expect(choiceOf({ relativeTimeString: 'Last 30 days' })).toBe('last 30 days');
    expect(choiceOf({ from: '2001-01-01', to: '2001-01-31' })).toBe('custom');
    const { root } = renderWidget(DateRangePicker, { value: { from: '2001-01-01', to: '2001-01-31' } });
    expect([...root.querySelectorAll('input[type="date"]')].map((i) => i.getAttribute('value'))).toEqual([
      '2001-01-01',
      '2001-01-31',
    ]);
    expect(root.querySelector('fieldset legend')?.textContent).toContain('Custom range');
  });

  it('emits onChange with {relativeTimeString}, null for all time, {from,to} once both are valid', async () => {
    const w = await mountWidget(DateRangePicker, { title: 'Period' }, () => ({ isLoading: true }));
    const select = () => w.container.querySelector('select');
    await act(async () => change(select(), 'last 7 days'));
    await act(async () => change(select(), 'all'));
    await act(async () => change(select(), 'custom'));
    const [from, to] = [...w.container.querySelectorAll('input[type="date"]')];
    await act(async () => change(to!, '2001-03-31'));
    await act(async () => change(from!, '2001-04-02')); // after "to": refused, announced
    expect(w.container.querySelector('[role="alert"]')?.textContent).toContain('must not be after');
    await act(async () => change(from!, '2001-03-01'));
    expect(w.events.map((e) => e.properties)).toEqual([
      { value: { relativeTimeString: 'last 7 days' } },
      { value: null },
      { value: { from: '2001-03-01', to: '2001-03-31' } },
    ]);
    expect(w.events.every((e) => e.event === 'onChange')).toBe(true);
    expect(PRESETS.find((p) => p.id === 'this year')?.value).toEqual({ relativeTimeString: 'this year' });
    await w.unmount();
  });
});
