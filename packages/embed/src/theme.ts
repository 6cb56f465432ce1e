import type { ClientContext } from '@inlay/core';
import { DEFAULT_THEMES } from '@inlay/core/theme';

/**
 * The theme an embed shows: CSS custom properties on its `:host`, light unless the client
 * context says dark. Components read the variables in CSS; canvas charts read `variables`.
 */
export interface Theme {
  mode: 'light' | 'dark';
  /** Custom property name (`--inlay-accent`) → value. */
  variables: Record<string, string>;
}

/** Characters that would end a declaration or rule: a theme value is a value, never more CSS. */
const UNSAFE = /[;{}<>\\]/;

export function resolveTheme(clientContext: ClientContext): Theme {
  const theme = clientContext.theme;
  const mode = theme === 'dark' || (typeof theme === 'object' && theme?.mode === 'dark') ? 'dark' : 'light';
  const variables: Record<string, string> = { ...DEFAULT_THEMES[mode] };
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
