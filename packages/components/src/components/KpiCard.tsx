import { defineComponent, useClientContext } from '@inlay/react';
import { type DataResponse, formatValue, loadData, type MemberRef } from '@inlay/sdk';
import { Frame, StateMessage, stateOf, useStableResponse } from '../shared/frame.js';
import { annotationOf, memberKey, memberTitle } from '../shared/members.js';
import { baseStyles } from '../shared/styles.js';

export const meta = {
  name: 'KpiCard',
  label: 'KPI',
  description: 'One measure as a big number.',
  category: 'Numbers',
  defaultWidth: 3,
  defaultHeight: 2,
  inputs: [
    { name: 'ds', type: 'dataset', label: 'Dataset', required: true },
    { name: 'measure', type: 'measure', label: 'Measure', required: true, config: { dataset: 'ds' } },
    { name: 'title', type: 'string', label: 'Title' },
  ],
} as const;

/** Longer than this, a number is shown short (`12.3M`) with the full figure for screen readers. */
const MAX_VISIBLE_CHARS = 10;

export interface KpiCardProps {
  title?: string | undefined;
  measure?: MemberRef | undefined;
  results?: DataResponse | undefined;
}

export function KpiCard({ title, measure, ...props }: KpiCardProps) {
  const ctx = useClientContext();
  const { shown: results, reloading } = useStableResponse(props.results);
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
    </Frame>
  );
}

export default defineComponent(KpiCard, meta, {
  props: (inputs) => ({
    title: inputs.title,
    measure: inputs.measure,
    results:
      inputs.ds && inputs.measure
        ? loadData({ from: inputs.ds, measures: [inputs.measure], limit: 1 })
        : undefined,
  }),
  styles: `${baseStyles}
.inlay-kpi .inlay-body { display: flex; align-items: center; }
.inlay-kpi-value { margin: 0; font-size: clamp(1.5rem, 14cqi, 3rem); font-weight: 650; line-height: 1.1;
  letter-spacing: -0.02em; color: var(--inlay-fg, #1f2328); font-variant-numeric: tabular-nums;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 100%; transition: opacity 0.2s; }
.inlay-kpi-value.inlay-reloading { opacity: 0.55; }
`,
});
