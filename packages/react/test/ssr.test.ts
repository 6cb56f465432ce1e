import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { expect, it } from 'vitest';
import { InlayDashboard } from '../src/index.js';

it('<InlayDashboard> renders on the server without touching browser globals', () => {
  expect(typeof document).toBe('undefined');
  const html = renderToString(
    createElement(InlayDashboard, {
      token: 'secret',
      baseUrl: 'http://127.0.0.1:4000',
      variables: { a: 1 },
      clientContext: { locale: 'en-GB' },
      className: 'dash',
      onError: () => {},
    }),
  );
  expect(html).toBe('<inlay-dashboard class="dash"></inlay-dashboard>');
});
