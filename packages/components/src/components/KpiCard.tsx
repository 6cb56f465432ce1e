import { defineComponent, useClientContext } from '@inlay/react';
import { type DataResponse, formatValue, loadData, type MemberRef, toNumeric } from '@inlay/sdk';
import { ChangeLine, changeStyles, formatPeriod } from '../comparison/change.js';
import type { Period } from '../comparison/period.js';
import { planRange } from '../comparison/plan.js';
import { Frame, StateMessage, stateOf, useStableResponse } from '../shared/frame.js';
import { annotationOf, memberKey, memberTitle } from '../shared/members.js';
import { baseStyles } from '../shared/styles.js';

export const meta = {
  name: 'KpiCard',
  label: 'KPI',
  description: 'One measure as a big number, optionally with its change versus the previous period.',
  category: 'Numbers',
  defaultWidth: 3,
  defaultHeight: 2,
  inputs: [
    { name: 'ds', type: 'dataset', label: 'Dataset', required: true },
    { name: 'measure', type: 'measure', label: 'Measure', required: true, config: { dataset: 'ds' } },
    { name: 'title', type: 'string', label: 'Title' },
    {
      name: 'timeDimension',
      type: 'dimension',
      label: 'Time dimension (for the comparison)',
      config: { dataset: 'ds', supportedTypes: ['time'] },
    },
    {
      name: 'dateRange',
      type: 'timeRange',
      label: 'Date range (when the dataset has none)',
    },
    {
      name: 'comparison',
      type: 'string',
      label: 'Compare with',
      description:
        "'previous period' (or true), 'previous week', 'previous month', 'previous quarter', 'previous year'; empty for none.",
    },
    { name: 'higherIsBetter', type: 'boolean', label: 'A rise is good news', defaultValue: true },
  ],
} as const;

/** Longer than this, a number is shown short (`12.3M`) with the full figure for screen readers. */
const MAX_VISIBLE_CHARS = 10;

export interface KpiCardProps {
  title?: string | undefined;
  measure?: MemberRef | undefined;
  results?: DataResponse | undefined;
  /** The measure over the previous period, when a comparison is shown. */
  previous?: DataResponse | undefined;
  comparison?: { previous: Period; label: string } | undefined;
  /** Why no comparison is shown although one was asked for ("No comparison for all time."). */
  comparisonNote?: string | undefined;
  higherIsBetter?: boolean | undefined;
}

const numberOf = (response: DataResponse | undefined, key: string): number | null => {
  const n = toNumeric(response?.data?.[0]?.[key]);
  return n === null ? null : Number(n);
};

export function KpiCard({ title, measure, comparison, comparisonNote, ...props }: KpiCardProps) {
  const ctx = useClientContext();
  const { shown: results, reloading } = useStableResponse(props.results);
  const { shown: previous } = useStableResponse(props.previous);
  if (!measure) {
    return (
      <Frame title={title} className="inlay-kpi">
        <p className="inlay-state">Choose a measure.</p>
      </Frame>
    );
  }
  const key = memberKey(measure);
  const annotation = annotationOf(results?.annotation, key);
  const label = title ?? memberTitle(measure, annotation);
  if (stateOf(results) !== 'ready' || !results?.data) {
    return (
      <Frame title={label} className="inlay-kpi">
        <StateMessage response={results} empty="No value for these filters." />
      </Frame>
    );
  }
  const value = results.data[0]?.[key] ?? null;
  const full = formatValue(value, annotation, ctx, { member: key });
  const short =
    full.length > MAX_VISIBLE_CHARS
      ? formatValue(value, annotation, ctx, { member: key, compact: true })
      : full;
  const previousState = stateOf(previous);
  return (
    <Frame title={label} className="inlay-kpi">
      <p
        className={reloading ? 'inlay-kpi-value inlay-reloading' : 'inlay-kpi-value'}
        title={short === full ? undefined : full}
        aria-busy={reloading || undefined}
      >
        {short === full ? (
          full
        ) : (
          <>
            <span aria-hidden="true">{short}</span>
            <span className="inlay-sr-only">{full}</span>
          </>
        )}
      </p>
      {comparison && previousState === 'loading' ? (
        <p className="inlay-kpi-note" role="status" aria-busy="true">
          Comparing…
        </p>
      ) : null}
      {comparison && previousState === 'error' ? (
        <p className="inlay-kpi-note" title={previous?.error}>
          The comparison could not be loaded.
        </p>
      ) : null}
      {comparison && (previousState === 'ready' || previousState === 'empty') ? (
        <ChangeLine
          current={numberOf(results, key)}
          previous={numberOf(previous, key)}
          previousText={formatValue(previous?.data?.[0]?.[key] ?? null, annotation, ctx, {
            member: key,
            compact: true,
          })}
          label={comparison.label}
          period={formatPeriod(comparison.previous, ctx)}
          higherIsBetter={props.higherIsBetter !== false}
        />
      ) : null}
      {comparisonNote ? <p className="inlay-kpi-note">{comparisonNote}</p> : null}
    </Frame>
  );
}

export default defineComponent(KpiCard, meta, {
  props: (inputs, _state, clientContext) => {
    const { ds, measure } = inputs;
    const range = planRange(inputs, clientContext);
    const cmp = range.comparison;
    const ready = Boolean(ds && measure);
    return {
      title: inputs.title,
      measure,
      higherIsBetter: inputs.higherIsBetter !== false,
      results: ready
        ? loadData({
            from: ds,
            measures: [measure],
            ...(range.ownRange && range.member
              ? { timeDimensions: [{ dimension: range.member, dateRange: range.ownRange }] }
              : {}),
            limit: 1,
          })
        : undefined,
      previous:
        ready && cmp
          ? loadData({
              from: cmp.previousFrom,
              measures: [measure],
              timeDimensions: [{ dimension: cmp.member, dateRange: [cmp.previous.from, cmp.previous.to] }],
              limit: 1,
            })
          : undefined,
      comparison: cmp ? { previous: cmp.previous, label: cmp.label } : undefined,
      comparisonNote: range.note,
    };
  },
  styles: `${baseStyles}${changeStyles}
.inlay-kpi .inlay-body { display: flex; flex-direction: column; justify-content: center; gap: 4px; }
.inlay-kpi-value { margin: 0; font-size: clamp(1.5rem, 14cqi, 3rem); font-weight: 650; line-height: 1.1;
  letter-spacing: -0.02em; color: var(--inlay-fg, #1f2328); font-variant-numeric: tabular-nums;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 100%; transition: opacity 0.2s; }
.inlay-kpi-value.inlay-reloading { opacity: 0.55; }
`,
});
