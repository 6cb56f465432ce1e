/// <reference lib="dom" />
// The smoke page: renders scenarios the way the embed runtime does (shadow root per widget, the
// definition's CSS adopted, theme variables on :host, loadData props swapped for responses).
import { isLoadDataRequest, resolveTheme } from '@inlay/sdk';
import { type ComponentType, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { standardComponents } from '../../src/registry.js';
import { scenarios } from './scenarios.js';

const params = new URLSearchParams(location.search);
const mode: 'light' | 'dark' = params.get('theme') === 'dark' ? 'dark' : 'light';
const only = params.get('only')?.split(',');
const clientContext = { locale: params.get('locale') ?? 'en-US', timezone: 'UTC', theme: mode };
const theme = resolveTheme(clientContext.theme);
document.documentElement.style.background = theme.variables['--inlay-bg'] ?? '';
document.documentElement.style.colorScheme = mode;

async function main() {
  const grid = document.getElementById('grid')!;
  for (const s of scenarios.filter((x) => !only || only.includes(x.component))) {
    const def = (await standardComponents[s.component]!()).default;
    const host = document.createElement('div');
    host.className = 'cell';
    host.dataset.id = s.id;
    host.style.setProperty('--span', String(s.width));
    host.style.height = `${s.height * 80}px`;
    grid.appendChild(host);
    const shadow = host.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(def.styles ?? '');
    const vars = new CSSStyleSheet();
    vars.replaceSync(
      `:host { display: block; ${Object.entries(theme.variables)
        .map(([k, v]) => `${k}: ${v};`)
        .join(' ')} color-scheme: ${mode}; }`,
    );
    shadow.adoptedStyleSheets = [vars, sheet];
    const mount = document.createElement('div');
    mount.style.height = '100%';
    shadow.appendChild(mount);
    const props = def.config.props?.(s.inputs, [undefined, () => {}], clientContext) ?? s.inputs;
    const resolved: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(props))
      resolved[k] = isLoadDataRequest(v) ? (s.responses[k] ?? { isLoading: true }) : v;
    for (const name of Object.keys(def.config.events ?? {})) resolved[name] = () => {};
    createRoot(mount).render(
      createElement(def.Component as ComponentType<Record<string, unknown>>, {
        ...resolved,
        __inlay: { clientContext, theme, widgetId: s.id },
      }),
    );
  }
  (window as { __ready?: boolean }).__ready = true;
}
main();
