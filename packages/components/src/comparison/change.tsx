import { useClientContext, useTheme } from '@inlay/react';
import { type ClientContext, formatNumber } from '@inlay/sdk';
import type { Period } from './period.js';
import { changeRatio } from './plan.js';

/** "Jan 1 – 31, 2001" in the client's locale (the dates are calendar days: formatted in UTC). */
export function formatPeriod(p: Period, ctx: ClientContext): string {
  const locale = typeof ctx.locale === 'string' && ctx.locale ? ctx.locale : 'en-US';
  const at = (d: string) => new Date(`${d}T00:00:00Z`);
  try {
    const f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    return p.from === p.to ? f.format(at(p.from)) : f.formatRange(at(p.from), at(p.to));
  } catch {
    return `${p.from} – ${p.to}`;
  }
}

export type Direction = 'up' | 'down' | 'flat';

/** The change as the KPI words it: direction, the visible "▲ 12.3%" and the sentence a screen reader reads. */
export function describeChange(
  current: number | null,
  previous: number | null,
  label: string,
  ctx: ClientContext,
): { direction: Direction; shown: string; spoken: string } | undefined {
  const ratio = changeRatio(current, previous);
  if (ratio === undefined) return undefined;
  const pct = formatNumber(Math.abs(ratio), ctx, { format: 'percent' });
  // 0.04% rounds to "0%": call that no change rather than "up 0%".
  const direction: Direction =
    pct === formatNumber(0, ctx, { format: 'percent' }) ? 'flat' : ratio > 0 ? 'up' : 'down';
  if (direction === 'flat') return { direction, shown: `= ${pct}`, spoken: `no change versus ${label}` };
  return {
    direction,
    shown: `${direction === 'up' ? '▲' : '▼'} ${pct}`,
    spoken: `${direction} ${pct} versus ${label}`,
  };
}

/**
 * Under a KPI: "▲ 12.3% vs 45,123" — the arrow and colour for the eye, the same in words for a
 * screen reader ("up 12.3% versus the previous period"), the previous period's dates on hover.
 * `higherIsBetter` decides the colour only (a rising delay is bad news).
 */
export function ChangeLine(props: {
  current: number | null;
  previous: number | null;
  previousText: string;
  label: string;
  period: string;
  higherIsBetter: boolean;
}) {
  const ctx = useClientContext();
  const { mode } = useTheme();
  const change = describeChange(props.current, props.previous, props.label, ctx);
  const tone =
    !change || change.direction === 'flat'
      ? 'neutral'
      : (change.direction === 'up') === props.higherIsBetter
        ? 'good'
        : 'bad';
  const detail = `${props.previousText} in ${props.period}`;
  return (
    <p className={`inlay-kpi-change inlay-${tone}`} data-mode={mode} title={detail}>
      {change ? (
        <>
          <span className="inlay-kpi-delta" aria-hidden="true">
            {change.shown}
          </span>
          <span className="inlay-sr-only">
            {change.spoken} ({detail})
          </span>
        </>
      ) : (
        <span className="inlay-sr-only">No change can be computed versus {props.label}</span>
      )}
      <span className="inlay-kpi-previous" aria-hidden="true">
        vs {props.previousText}
      </span>
    </p>
  );
}

export const changeStyles = `
.inlay-kpi-change { margin: 0; display: flex; flex-wrap: wrap; gap: 0 8px; align-items: baseline; font-size: 0.8125rem;
  color: var(--inlay-muted, #59636e); font-variant-numeric: tabular-nums; min-width: 0; }
.inlay-kpi-delta { font-weight: 650; white-space: nowrap; }
.inlay-kpi-previous { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; }
.inlay-good .inlay-kpi-delta { color: var(--inlay-success, #1a7f37); }
.inlay-good[data-mode="dark"] .inlay-kpi-delta { color: var(--inlay-success, #3fb950); }
.inlay-bad .inlay-kpi-delta { color: var(--inlay-danger, #b42318); }
.inlay-kpi-note { margin: 0; font-size: 0.75rem; color: var(--inlay-muted, #59636e); }
`;
