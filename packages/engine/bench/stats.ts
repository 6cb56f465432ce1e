/** Small statistics and formatting helpers for the benchmark. */

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Linear-interpolated quantile (q in [0, 1]); NaN for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** Nanoseconds since an arbitrary origin, as a number (safe for ~100 days of uptime). */
export const nowNs = (): number => Number(process.hrtime.bigint());

export const MB = 1024 * 1024;

export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return String(ns);
  const abs = Math.abs(ns);
  if (abs < 1e3) return `${ns.toFixed(0)} ns`;
  if (abs < 1e6) return `${(ns / 1e3).toFixed(1)} µs`;
  if (abs < 1e9) return `${(ns / 1e6).toFixed(abs < 1e7 ? 2 : 1)} ms`;
  return `${(ns / 1e9).toFixed(2)} s`;
}

export const formatBytes = (b: number): string => `${(b / MB).toFixed(1)} MB`;

export const formatPercent = (x: number): string => `${(x * 100).toFixed(x < 0.01 ? 3 : 2)} %`;

/** One checked figure: a measured value against its target (lower is better). */
export interface Figure {
  id: string;
  label: string;
  value: number;
  target: number;
  unit: 'ns' | 'bytes' | 'ratio';
  /** value / target: at most 1 passes. */
  ratio: number;
  pass: boolean;
  /** The individual runs the median was taken over. */
  runs?: number[];
}

export function figure(
  id: string,
  label: string,
  value: number,
  target: number,
  unit: Figure['unit'],
  runs?: number[],
): Figure {
  const ratio = value / target;
  return { id, label, value, target, unit, ratio, pass: ratio <= 1, ...(runs ? { runs } : {}) };
}

export function formatValue(value: number, unit: Figure['unit']): string {
  if (unit === 'ns') return formatDuration(value);
  if (unit === 'bytes') return formatBytes(value);
  return formatPercent(value);
}

export function formatFigure(f: Figure): string {
  const verdict = f.pass ? 'PASS' : 'FAIL <<<';
  return `  ${f.label.padEnd(46)} ${formatValue(f.value, f.unit).padStart(11)}   target < ${formatValue(
    f.target,
    f.unit,
  ).padEnd(9)} ratio ${f.ratio.toFixed(3).padStart(6)}  ${verdict}`;
}
