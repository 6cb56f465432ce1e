// @vitest-environment happy-dom
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { defineComponent, useClientContext, useEmbeddableState, useTheme } from '../src/index.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const meta = {
  name: 'Probe',
  label: 'Probe',
  inputs: [{ name: 'title', type: 'string', label: 'Title' }],
} as const;

function Probe(props: Record<string, unknown>) {
  const ctx = useClientContext();
  const theme = useTheme();
  const [count, setCount] = useEmbeddableState(0);
  return createElement(
    'button',
    { type: 'button', onClick: () => setCount((c) => c + 1), 'data-props': Object.keys(props).join(',') },
    `${String(props.title)}|${ctx.locale ?? '-'}|${theme.mode}|${theme.variables['--inlay-accent']}|${count}`,
  );
}

const def = defineComponent(Probe, meta, { props: (inputs) => ({ title: inputs.title }) });

describe('defineComponent', () => {
  it('returns a ComponentDefinition with the meta, the config and a wrapper', () => {
    expect(def.meta).toBe(meta);
    expect(def.config.props?.({ title: 'x' }, [undefined, () => {}], {})).toEqual({ title: 'x' });
    expect(def.Inner).toBe(Probe);
  });

  it('takes __inlay off the props and provides it to the hooks', () => {
    const html = renderToString(
      createElement(def.Component, {
        title: 'Hello',
        __inlay: {
          clientContext: { locale: 'de-DE', theme: { mode: 'dark', accent: '#abcdef' } },
          widgetId: 'w1',
        },
      }),
    );
    expect(html).toContain('Hello|de-DE|dark|#abcdef|0');
    expect(html).toContain('data-props="title"');
  });

  it('outside the runtime the hooks fall back (light theme, empty context, local state)', () => {
    expect(renderToString(createElement(def.Component, { title: 'Hi' }))).toContain('Hi|-|light|#2563eb|0');
  });

  it('useEmbeddableState writes through the runtime setState, or local state without one', async () => {
    const container = document.createElement('div');
    const root = createRoot(container);
    const setState = vi.fn();
    await act(async () => {
      root.render(createElement(def.Component, { title: 'T', __inlay: { state: 5, setState } }));
    });
    expect(container.textContent).toContain('|5');
    await act(async () => container.querySelector('button')?.click());
    expect(setState).toHaveBeenCalledWith(6);

    await act(async () => root.render(createElement(def.Component, { title: 'T' })));
    await act(async () => container.querySelector('button')?.click());
    expect(container.textContent).toContain('|1');
    await act(async () => root.unmount());
  });
});
