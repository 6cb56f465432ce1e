/**
 * The theme variables every embed sets on its `:host` and every component reads with
 * `var(--inlay-…)`, and their defaults per mode. Data only, browser-safe: the runtime
 * (`@inlay/embed`) and the author SDK (`defineTheme`) both read them from here.
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

/** The defaults for each mode. */
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
