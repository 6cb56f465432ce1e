// @vitest-environment happy-dom
// @vitest-environment-options {"settings":{"handleDisabledFileLoadingAsSuccess":true}}
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it, vi } from 'vitest';
import { InlayDashboard } from '../src/index.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

describe('<InlayDashboard> in the browser', () => {
  it('loads the runtime once, sets the attributes, follows prop changes and wires events', async () => {
    const container = document.createElement('div');
    document.body.appendChild(container);
    const root = createRoot(container);
    const onVariablesChange = vi.fn();
    const onError = vi.fn();
    const props = {
      token: 't1',
      baseUrl: 'http://127.0.0.1:4000/',
      variables: { date_range: null },
      clientContext: { locale: 'de-DE', theme: 'dark' as const },
      onVariablesChange,
      onError,
      className: 'dash',
    };
    await act(async () => root.render(createElement(InlayDashboard, props)));
    const el = container.querySelector('inlay-dashboard')!;
    expect(el.getAttribute('token')).toBe('t1');
    expect(el.getAttribute('base-url')).toBe('http://127.0.0.1:4000/');
    expect(JSON.parse(el.getAttribute('client-context')!)).toEqual({ locale: 'de-DE', theme: 'dark' });
    expect(JSON.parse(el.getAttribute('variables')!)).toEqual({ date_range: null });
    expect(el.getAttribute('class')).toBe('dash');

    // A second dashboard on the same server adds no second script.
    const second = document.createElement('div');
    const root2 = createRoot(second);
    await act(async () => root2.render(createElement(InlayDashboard, { ...props, token: 't2' })));
    const scripts = document.head.querySelectorAll('script[type="module"]');
    expect([...scripts].map((s) => s.getAttribute('src'))).toEqual([
      'http://127.0.0.1:4000/embed/v1/inlay.js',
    ]);

    await act(async () =>
      root.render(createElement(InlayDashboard, { ...props, token: 't3', variables: { date_range: 'x' } })),
    );
    expect(el.getAttribute('token')).toBe('t3');
    expect(JSON.parse(el.getAttribute('variables')!)).toEqual({ date_range: 'x' });
    expect(container.querySelector('inlay-dashboard')).toBe(el); // updated, not re-created

    const changes = [{ variableName: 'date_range', newValue: { relativeTimeString: 'last 7 days' } }];
    el.dispatchEvent(new CustomEvent('variablesChange', { detail: changes, bubbles: true, composed: true }));
    el.dispatchEvent(new CustomEvent('embeddableError', { detail: { errorMessage: 'expired' } }));
    expect(onVariablesChange).toHaveBeenCalledWith(changes);
    expect(onError).toHaveBeenCalledWith({ errorMessage: 'expired' });

    await act(async () => root.unmount());
    el.dispatchEvent(new CustomEvent('embeddableError', { detail: { errorMessage: 'late' } }));
    expect(onError).toHaveBeenCalledTimes(1);
    await act(async () => root2.unmount());
  });
});
