import { defineComponent, useClientContext, useTheme } from '@inlay/react';
import { type DataResponse, loadData, type MemberRef } from '@inlay/sdk';
import { useMemo } from 'react';
import { withPreviousSeries } from '../comparison/align.js';
import { type ComparisonPlan, planRange } from '../comparison/plan.js';
import { AccessibleTable } from '../shared/accessible-table.js';
import { cartesianBase, categoryAxis, tooltipFormatter, valueAxis } from '../shared/axes.js';
import { type ChartOption, chartColors, chartStyles, EChart, usePreloadChart } from '../shared/chart.js';
import { Frame, StateMessage, stateOf, useStableResponse } from '../shared/frame.js';
import { annotationOf, asList, memberKey } from '../shared/members.js';
import { categorySeries, seriesTable } from '../shared/series.js';
import { baseStyles } from '../shared/styles.js';

export const meta = {
  name: 'LineChart',
  label: 'Line chart',
  description: 'Measures over time at a granularity; optionally as areas.',
  category: 'Charts',
  defaultWidth: 6,
  defaultHeight: 4,
  inputs: [
    { name: 'ds', type: 'dataset', label: 'Dataset', required: true },
    {
      name: 'timeDimension',
      type: 'dimension',
      label: 'Time',
      required: true,
      config: { dataset: 'ds', supportedTypes: ['time'] },
      inputs: [{ name: 'granularity', type: 'granularity', label: 'Granularity', defaultValue: 'day' }],
    },
    {
      name: 'measures',
      type: 'measure',
      label: 'Measures',
      array: true,
      required: true,
      config: { dataset: 'ds' },
    },
    { name: 'title', type: 'string', label: 'Title' },
    { name: 'area', type: 'boolean', label: 'Fill the area under lines', defaultValue: false },
    { name: 'dateRange', type: 'timeRange', label: 'Date range (when the dataset has none)' },
    {
      name: 'comparison',
      type: 'string',
      label: 'Compare with',
      description:
        "'previous period' (or true), 'previous week', 'previous month', 'previous quarter', 'previous year'; empty for none.",
    },
  ],
} as const;

/** Points per series: a year of days, or 20 years of weeks. */
export const LINE_LIMIT = 1000;

export interface LineChartProps {
  title?: string | undefined;
  /** The time dimension, its granularity in `inputs.granularity`. */
  timeDimension?: MemberRef | undefined;
  measures: MemberRef[];
  area: boolean;
  results?: DataResponse | undefined;
  /** The same measures over the previous period (dashed lines), when a comparison is shown. */
  previous?: DataResponse | undefined;
  comparison?: { current: string; previous: string; label: string } | undefined;
  /** Why no comparison is shown although one was asked for. */
  comparisonNote?: string | undefined;
}

const loadLine = () => import('../echarts/line.js');

/** The time dimension with its granularity settled (`day` when the builder gave none). */
export function withGranularity(ref: MemberRef): MemberRef {
  const g = ref.inputs?.granularity;
  return { ...ref, inputs: { ...ref.inputs, granularity: typeof g === 'string' && g ? g : 'day' } };
}

export function LineChart(props: LineChartProps) {
  usePreloadChart(loadLine);
  const ctx = useClientContext();
  const { variables } = useTheme();
  const { timeDimension, measures, area, comparison } = props;
  const { shown: results, reloading } = useStableResponse(props.results);
  const { shown: previous } = useStableResponse(props.previous);
  const ready = stateOf(results) === 'ready' && timeDimension !== undefined && results !== undefined;
  const previousReady =
    comparison && previous && !previous.isLoading && !previous.error ? previous : undefined;
  const shaped = useMemo(() => {
    if (!ready) return undefined;
    const current = categorySeries(results, timeDimension, measures, ctx);
    return previousReady && comparison
      ? withPreviousSeries(current, results, previousReady, timeDimension, measures, comparison, ctx)
      : current;
  }, [ready, results, previousReady, comparison, timeDimension, measures, ctx]);
  const option = useMemo((): ChartOption | undefined => {
    if (!shaped || !results) return undefined;
    const colors = chartColors(variables);
    const points = shaped.categories.length;
    return {
      ...cartesianBase(colors, shaped.series.length),
      xAxis: categoryAxis(colors, shaped.categories, { boundaryGap: false }),
      yAxis: valueAxis(colors, ctx, annotationOf(results.annotation, memberKey(measures[0] ?? ''))),
      series: shaped.series.map((s, i) => {
        const own = s.previousOf ?? i;
        const color = colors.series[own % Math.max(1, colors.series.length)];
        const dashed = s.previousOf !== undefined;
        return {
          type: 'line',
          name: s.name,
          data: s.values,
          showSymbol: !dashed && points <= 60,
          symbolSize: 5,
          ...(color ? { itemStyle: { color } } : {}),
          lineStyle: dashed ? { width: 1.5, type: 'dashed', opacity: 0.8 } : { width: 2 },
          ...(area && !dashed ? { areaStyle: { opacity: 0.18 } } : {}),
          z: dashed ? 1 : 2,
          tooltip: tooltipFormatter(ctx, annotationOf(results.annotation, s.key.replace(/#previous$/, ''))),
        };
      }),
    };
  }, [shaped, results, variables, measures, area, ctx]);

  const caption =
    props.title ??
    (shaped ? `${shaped.series.map((s) => s.name).join(', ')} by ${shaped.dimensionTitle}` : '');
  return (
    <Frame title={props.title} className="inlay-line-chart">
      {!timeDimension || measures.length === 0 ? (
        <p className="inlay-state">Choose a time dimension and at least one measure.</p>
      ) : (
        <StateMessage response={results} />
      )}
      {shaped && option ? (
        <>
          <EChart reloading={reloading} load={loadLine} option={option} />
          <AccessibleTable caption={caption} {...seriesTable(shaped)} />
        </>
      ) : null}
      {shaped && comparison && previous?.error ? (
        <p className="inlay-chart-note" role="status">
          The previous period could not be loaded.
        </p>
      ) : null}
      {shaped && props.comparisonNote ? <p className="inlay-chart-note">{props.comparisonNote}</p> : null}
    </Frame>
  );
}

/** The comparison as the component needs it: where each period starts (to align buckets) and its name. */
const comparisonProp = (cmp: ComparisonPlan | undefined) =>
  cmp ? { current: cmp.current.from, previous: cmp.previous.from, label: cmp.label } : undefined;

export default defineComponent(LineChart, meta, {
  props: (inputs, _state, clientContext) => {
    const measures = asList(inputs.measures);
    const time = inputs.timeDimension ? withGranularity(inputs.timeDimension) : undefined;
    const range = planRange({ ...inputs, timeDimension: time }, clientContext);
    const cmp = range.comparison;
    const granularity = time?.inputs?.granularity as string;
    const load = (from: NonNullable<typeof inputs.ds>, dateRange?: string | [string, string]) =>
      loadData({
        from,
        measures,
        timeDimensions: [
          { dimension: time!.name, granularity, ...(dateRange !== undefined ? { dateRange } : {}) },
        ],
        orderBy: [{ property: time!.name, direction: 'asc' }],
        limit: LINE_LIMIT,
      });
    const ready = Boolean(inputs.ds && time && measures.length > 0);
    return {
      title: inputs.title,
      timeDimension: time,
      measures,
      area: inputs.area === true,
      results: ready ? load(inputs.ds, range.ownRange) : undefined,
      previous: ready && cmp ? load(cmp.previousFrom, [cmp.previous.from, cmp.previous.to]) : undefined,
      comparison: comparisonProp(cmp),
      comparisonNote: range.note,
    };
  },
  styles: `${baseStyles}${chartStyles}
.inlay-chart-note { position: absolute; right: 4px; bottom: 0; margin: 0; font-size: 0.75rem;
  color: var(--inlay-muted, #59636e); background: var(--inlay-surface, #fff); padding: 0 4px; }
`,
});
