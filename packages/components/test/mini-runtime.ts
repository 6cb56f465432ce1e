import type { ComponentDefinition, DataResponse, LoadDataRequest } from '@inlay/sdk';
import { isLoadDataRequest } from '@inlay/sdk';
import { act, type ComponentType, createElement, useState } from 'react';
import { createRoot } from 'react-dom/client';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/**
 * A stand-in for the embed runtime's widget loop, enough to test a component's state → query →
 * data cycle in happy-dom: state kept outside the component, `config.props` re-run on every state
 * change, each `loadData` answered at once by `answer`, callbacks in `config.events` recorded.
 */
export async function mountWidget(
  definition: ComponentDefinition,
  inputs: Record<string, unknown>,
  answer: (request: LoadDataRequest, prop: string) => DataResponse,
) {
  const requests: { prop: string; request: LoadDataRequest }[] = [];
  const events: { event: string; properties: Record<string, unknown> }[] = [];
  const clientContext = { locale: 'en-US', timezone: 'UTC' };

  // biome-ignore lint/correctness/noComponentHookFactories: one widget per mount, closing over its inputs
  function Widget() {
    const [state, setState] = useState<unknown>(undefined);
    const props = definition.config.props?.(inputs, [state, setState], clientContext) ?? inputs;
    const resolved: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(props)) {
      if (isLoadDataRequest(value)) {
        requests.push({ prop: name, request: value });
        resolved[name] = answer(value, name);
      } else resolved[name] = value;
    }
    for (const [event, toProperties] of Object.entries(definition.config.events ?? {}))
      resolved[event] = (...args: unknown[]) => events.push({ event, properties: toProperties(...args) });
    return createElement(definition.Component as ComponentType<Record<string, unknown>>, {
      ...resolved,
      __inlay: { clientContext, state, setState, widgetId: 'w1' },
    });
  }

  const container = document.createElement('div');
  document.body.appendChild(container);
  const root = createRoot(container);
  await act(async () => root.render(createElement(Widget)));
  return {
    container,
    requests,
    events,
    async click(el: Element | null | undefined) {
      if (!el) throw new Error('nothing to click');
      await act(async () => (el as HTMLElement).click());
    },
    async act(fn: () => void) {
      await act(async () => fn());
    },
    async unmount() {
      await act(async () => root.unmount());
      container.remove();
    },
  };
}
