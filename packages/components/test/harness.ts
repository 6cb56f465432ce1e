import type { ClientContext, ComponentDefinition, DataResponse, LoadDataRequest } from '@inlay/sdk';
import { isLoadDataRequest } from '@inlay/sdk';
import { type ComponentType, createElement } from 'react';
import { renderToString } from 'react-dom/server';

/**
 * Does what the runtime does for one widget, without a server: calls `config.props`, swaps every
 * `loadData(...)` prop for the given response (or "loading" when none is given) and renders the
 * wrapper with `__inlay`. Returns the requests (to check the queries) and the HTML parsed in a
 * detached element (happy-dom), so tests read text as a screen reader would.
 */
export function renderWidget(
  definition: ComponentDefinition,
  inputs: Record<string, unknown>,
  responses: Record<string, DataResponse> = {},
  options: { clientContext?: ClientContext; state?: unknown } = {},
) {
  const clientContext = options.clientContext ?? { locale: 'en-US', timezone: 'UTC' };
  const props = definition.config.props?.(inputs, [options.state, () => {}], clientContext) ?? inputs;
  const requests: Record<string, LoadDataRequest> = {};
  const rendered: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(props)) {
    if (isLoadDataRequest(value)) {
      requests[name] = value;
      rendered[name] = responses[name] ?? { isLoading: true };
    } else rendered[name] = value;
  }
  const html = renderToString(
    createElement(definition.Component as ComponentType<Record<string, unknown>>, {
      ...rendered,
      __inlay: {
        clientContext,
        theme: clientContext.theme,
        state: options.state,
        setState: () => {},
        widgetId: 'w1',
      },
    }),
  );
  const root = document.createElement('div');
  root.innerHTML = html;
  return { html, root, requests, props };
}

/** The visually hidden table's cells, row by row (header row first). */
export function srTable(root: Element): string[][] {
  const table = root.querySelector('table.inlay-sr-only');
  if (!table) throw new Error('no accessible table');
  return [...table.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent ?? ''));
}

export const text = (root: Element) => (root.textContent ?? '').replace(/[\u00a0\u202f]/g, ' ');
