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
  '--inlay-danger',
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

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** The defaults for each mode; the same values as the embed runtime's (`packages/embed/src/theme.ts`). */
export const DEFAULT_THEMES: Record<ThemeMode, Record<ThemeVariable, string>> = {
  light: {
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
  },
  dark: {
    '--inlay-bg': '#0d1117',
    '--inlay-surface': '#161b22',
    '--inlay-fg': '#e6edf3',
    '--inlay-muted': '#9198a1',
    '--inlay-border': '#30363d',
    '--inlay-accent': '#4493f8',
    '--inlay-danger': '#ff7b72',
    '--inlay-font': FONT,
    '--inlay-radius': '8px',
    '--inlay-series-1': '#4493f8',
    '--inlay-series-2': '#fb923c',
    '--inlay-series-3': '#4ade80',
    '--inlay-series-4': '#f472b6',
    '--inlay-series-5': '#a78bfa',
    '--inlay-series-6': '#22d3ee',
    '--inlay-series-7': '#facc15',
    '--inlay-series-8': '#94a3b8',
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
