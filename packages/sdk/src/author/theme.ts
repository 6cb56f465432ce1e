/**
 * Themes are CSS custom properties on the embed's `:host` (the runtime sets them; components read
 * them with `var(--inlay-…)`). `defineTheme` turns friendly keys into those variables, so a theme
 * object can go straight into `clientContext.theme`.
 */

import { DEFAULT_THEMES, THEME_VARIABLES, type ThemeMode, type ThemeVariable } from '@inlay/core/theme';

export { DEFAULT_THEMES, THEME_VARIABLES, type ThemeMode, type ThemeVariable };

/** Friendly names for the variables (`accent` → `--inlay-accent`, `series` → the eight series colours). */
export interface ThemeInput {
  mode?: ThemeMode;
  background?: string;
  surface?: string;
  foreground?: string;
  muted?: string;
  border?: string;
  accent?: string;
  danger?: string;
  font?: string;
  radius?: string;
  /** Up to eight series colours, in order. */
  series?: readonly string[];
  /** Any `--inlay-*` variable (or a component's own) by its full name. */
  [cssVariable: `--${string}`]: string | undefined;
}

/** What `defineTheme` returns and `clientContext.theme` may hold: a mode and CSS variables. */
export type Theme = { mode?: ThemeMode } & { [cssVariable: `--${string}`]: string };

const ALIASES: Record<string, ThemeVariable> = {
  background: '--inlay-bg',
  surface: '--inlay-surface',
  foreground: '--inlay-fg',
  muted: '--inlay-muted',
  border: '--inlay-border',
  accent: '--inlay-accent',
  danger: '--inlay-danger',
  font: '--inlay-font',
  radius: '--inlay-radius',
};

function toTheme(input: ThemeInput, strict: boolean): Theme {
  const theme: Theme = input.mode === 'dark' || input.mode === 'light' ? { mode: input.mode } : {};
  for (const [key, value] of Object.entries(input)) {
    if (key === 'mode' || key === 'series' || value === undefined || value === null) continue;
    const name = key.startsWith('--') ? key : ALIASES[key];
    if (name) theme[name as `--${string}`] = String(value);
    else if (strict)
      throw new TypeError(`defineTheme: unknown key '${key}' (use a known name or a '--' variable)`);
  }
  if (Array.isArray(input.series))
    input.series.slice(0, 8).forEach((color, i) => {
      theme[`--inlay-series-${i + 1}`] = color;
    });
  return theme;
}

export function defineTheme(input: ThemeInput): Theme {
  return toTheme(input, true);
}

/**
 * The variables in force for a `clientContext.theme` (`'dark'`, `{mode: 'dark', …}` or a
 * `defineTheme` result): the mode's defaults with the theme's own variables over them.
 */
export function resolveTheme(theme: unknown): { mode: ThemeMode; variables: Record<string, string> } {
  const mode: ThemeMode =
    theme === 'dark' || (typeof theme === 'object' && theme !== null && (theme as Theme).mode === 'dark')
      ? 'dark'
      : 'light';
  const variables: Record<string, string> = { ...DEFAULT_THEMES[mode] };
  if (typeof theme === 'object' && theme !== null) {
    // Lenient: a client context may carry keys meant for the host's own components.
    // A runtime may hand over an already resolved `{mode, variables}`.
    const nested = (theme as { variables?: unknown }).variables;
    const input = typeof nested === 'object' && nested !== null ? { ...theme, ...nested } : theme;
    const own = toTheme(input as ThemeInput, false);
    for (const [k, v] of Object.entries(own)) if (k !== 'mode') variables[k] = v as string;
  }
  return { mode, variables };
}
