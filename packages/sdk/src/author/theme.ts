/**
 * Themes are CSS custom properties on the embed's `:host` (the runtime sets them; components read
 * them with `var(--inlay-…)`). `defineTheme` turns friendly keys into those variables, so a theme
 * object can go straight into `clientContext.theme`.
 */

export const THEME_VARIABLES = [
  '--inlay-bg',
  '--inlay-surface',
  '--inlay-fg',
  '--inlay-muted',
  '--inlay-border',
  '--inlay-accent',
  '--inlay-font',
  '--inlay-radius',
  '--inlay-series-1',
  '--inlay-series-2',
  '--inlay-series-3',
  '--inlay-series-4',
  '--inlay-series-5',
  '--inlay-series-6',
  '--inlay-series-7',
  '--inlay-series-8',
] as const;
export type ThemeVariable = (typeof THEME_VARIABLES)[number];
export type ThemeMode = 'light' | 'dark';

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** The defaults for each mode (readable contrast: fg on bg ≥ 7:1, muted on surface ≥ 4.5:1). */
export const DEFAULT_THEMES: Record<ThemeMode, Record<ThemeVariable, string>> = {
  light: {
    '--inlay-bg': '#f6f7f9',
    '--inlay-surface': '#ffffff',
    '--inlay-fg': '#1b1f24',
    '--inlay-muted': '#57606a',
    '--inlay-border': '#d8dee4',
    '--inlay-accent': '#2f6fde',
    '--inlay-font': FONT,
    '--inlay-radius': '8px',
    '--inlay-series-1': '#2f6fde',
    '--inlay-series-2': '#e8743b',
    '--inlay-series-3': '#19a979',
    '--inlay-series-4': '#d64e7e',
    '--inlay-series-5': '#8d6cd9',
    '--inlay-series-6': '#c9a400',
    '--inlay-series-7': '#13a4b4',
    '--inlay-series-8': '#7c8a99',
  },
  dark: {
    '--inlay-bg': '#0f1216',
    '--inlay-surface': '#181c22',
    '--inlay-fg': '#e6e9ed',
    '--inlay-muted': '#9aa4b0',
    '--inlay-border': '#2e353e',
    '--inlay-accent': '#6ea1ff',
    '--inlay-font': FONT,
    '--inlay-radius': '8px',
    '--inlay-series-1': '#6ea1ff',
    '--inlay-series-2': '#ff9d5c',
    '--inlay-series-3': '#3ccf97',
    '--inlay-series-4': '#f27aa6',
    '--inlay-series-5': '#b299ff',
    '--inlay-series-6': '#e8c93a',
    '--inlay-series-7': '#4cc9d6',
    '--inlay-series-8': '#a3b0be',
  },
};

/** Friendly names for the variables (`accent` → `--inlay-accent`, `series` → the eight series colours). */
export interface ThemeInput {
  mode?: ThemeMode;
  background?: string;
  surface?: string;
  foreground?: string;
  muted?: string;
  border?: string;
  accent?: string;
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
