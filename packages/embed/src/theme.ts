import type { ClientContext } from '@inlay/core';

/**
 * The theme an embed shows: CSS custom properties on its `:host`, light unless the client
 * context says dark. Components read the variables in CSS; canvas charts read `variables`.
 */
export interface Theme {
  mode: 'light' | 'dark';
  /** Custom property name (`--inlay-accent`) → value. */
  variables: Record<string, string>;
}

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

const LIGHT: Record<string, string> = {
  '--inlay-bg': '#f6f7f9',
  '--inlay-surface': '#ffffff',
  '--inlay-fg': '#1f2328',
  '--inlay-muted': '#59636e',
  '--inlay-border': '#d8dee4',
  '--inlay-accent': '#2563eb',
  '--inlay-danger': '#b42318',
  '--inlay-font': FONT,
  '--inlay-radius': '8px',
  '--inlay-series-1': '#2563eb',
  '--inlay-series-2': '#f97316',
  '--inlay-series-3': '#16a34a',
  '--inlay-series-4': '#db2777',
  '--inlay-series-5': '#7c3aed',
  '--inlay-series-6': '#0891b2',
  '--inlay-series-7': '#ca8a04',
  '--inlay-series-8': '#64748b',
};

const DARK: Record<string, string> = {
  ...LIGHT,
  '--inlay-bg': '#0d1117',
  '--inlay-surface': '#161b22',
  '--inlay-fg': '#e6edf3',
  '--inlay-muted': '#9198a1',
  '--inlay-border': '#30363d',
  '--inlay-accent': '#4493f8',
  '--inlay-danger': '#ff7b72',
  '--inlay-series-1': '#4493f8',
  '--inlay-series-2': '#fb923c',
  '--inlay-series-3': '#4ade80',
  '--inlay-series-4': '#f472b6',
  '--inlay-series-5': '#a78bfa',
  '--inlay-series-6': '#22d3ee',
  '--inlay-series-7': '#facc15',
  '--inlay-series-8': '#94a3b8',
};

/** Characters that would end a declaration or rule: a theme value is a value, never more CSS. */
const UNSAFE = /[;{}<>\\]/;

export function resolveTheme(clientContext: ClientContext): Theme {
  const theme = clientContext.theme;
  const mode = theme === 'dark' || (typeof theme === 'object' && theme?.mode === 'dark') ? 'dark' : 'light';
  const variables = { ...(mode === 'dark' ? DARK : LIGHT) };
  if (typeof theme === 'object' && theme) {
    for (const [key, value] of Object.entries(theme)) {
      if (key === 'mode' || (typeof value !== 'string' && typeof value !== 'number')) continue;
      const name = key.startsWith('--') ? key : `--inlay-${key}`;
      if (!/^--[A-Za-z0-9-]+$/.test(name) || UNSAFE.test(String(value))) continue;
      variables[name] = String(value);
    }
  }
  return { mode, variables };
}

export function themeCss(theme: Theme): string {
  const declarations = Object.entries(theme.variables).map(([k, v]) => `${k}: ${v};`);
  return `:host { ${declarations.join(' ')} color-scheme: ${theme.mode}; }`;
}
