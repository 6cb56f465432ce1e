import { defineComponent, useClientContext, useTheme } from '@inlay/react';
import { type DataResponse, loadData, type MemberRef } from '@inlay/sdk';
import { useMemo } from 'react';
import { AccessibleTable } from '../shared/accessible-table.js';
import { cartesianBase, categoryAxis, tooltipFormatter, valueAxis } from '../shared/axes.js';
import { type ChartOption, chartColors, chartStyles, EChart, usePreloadChart } from '../shared/chart.js';
import { Frame, StateMessage, stateOf, useStableResponse } from '../shared/frame.js';
import { annotationOf, asList, memberKey } from '../shared/members.js';
import { categorySeries, seriesTable } from '../shared/series.js';
import { baseStyles } from '../shared/styles.js';

export const meta = {
  name: 'BarChart',
  label: 'Bar chart',
  description: 'Measures by one dimension: vertical or horizontal bars, grouped or stacked.',
  category: 'Charts',
  defaultWidth: 6,
  defaultHeight: 4,
  inputs: [
    { name: 'ds', type: 'dataset', label: 'Dataset', required: true },
    { name: 'dimension', type: 'dimension', label: 'Dimension', required: true, config: { dataset: 'ds' } },
    {
      name: 'measures',
      type: 'measure',
      label: 'Measures',
      array: true,
      required: true,
      config: { dataset: 'ds' },
    },
    { name: 'title', type: 'string', label: 'Title' },
    { name: 'horizontal', type: 'boolean', label: 'Horizontal bars', defaultValue: false },
    { name: 'stacked', type: 'boolean', label: 'Stack the measures', defaultValue: false },
  ],
  events: [
    {
      name: 'onBarClick',
      label: 'Bar clicked',
      properties: [{ name: 'value', type: 'string', label: "The bar's category (dimension value)" }],
    },
  ],
} as const;

/** Bars beyond this many categories would be unreadable; the biggest ones are shown. */
export const BAR_LIMIT = 50;

export interface BarChartProps {
  title?: string | undefined;
  dimension?: MemberRef | undefined;
  measures: MemberRef[];
  horizontal: boolean;
  stacked: boolean;
  results?: DataResponse | undefined;
  /** Given only when the widget configures the event (set a variable, open a dashboard). */
  onBarClick?: ((value: unknown) => void) | undefined;
}

const loadBar = () => import('../echarts/bar.js');

export function BarChart(props: BarChartProps) {
  usePreloadChart(loadBar);
  const ctx = useClientContext();
  const { variables } = useTheme();
  const { dimension, measures, horizontal, stacked, onBarClick } = props;
  const { shown: results, reloading } = useStableResponse(props.results);
  const ready = stateOf(results) === 'ready' && dimension !== undefined && results !== undefined;
  const shaped = useMemo(
    () => (ready ? categorySeries(results, dimension, measures, ctx) : undefined),
    [ready, results, dimension, measures, ctx],
  );
  const option = useMemo((): ChartOption | undefined => {
    if (!shaped || !results) return undefined;
    const colors = chartColors(variables);
    const first = annotationOf(results.annotation, memberKey(measures[0] ?? ''));
    const cat = categoryAxis(colors, shaped.categories, horizontal ? { inverse: true } : {});
    const val = valueAxis(colors, ctx, first);
    return {
      ...cartesianBase(colors, shaped.series.length),
      xAxis: horizontal ? val : cat,
      yAxis: horizontal ? cat : val,
      series: shaped.series.map((s) => ({
        type: 'bar',
        name: s.name,
        data: s.values,
        ...(stacked ? { stack: 'total' } : {}),
        barMaxWidth: 48,
        tooltip: tooltipFormatter(ctx, annotationOf(results.annotation, s.key)),
      })),
    };
  }, [shaped, results, variables, measures, horizontal, stacked, ctx]);

  // The raw category (not its formatted label) is what a variable, and a filter, wants.
  const onItem =
    onBarClick && dimension && results?.data
      ? (i: number) => onBarClick(results.data?.[i]?.[memberKey(dimension)] ?? null)
      : undefined;
  const caption =
    props.title ??
    (shaped ? `${shaped.series.map((s) => s.name).join(', ')} by ${shaped.dimensionTitle}` : '');
  return (
    <Frame title={props.title} className="inlay-bar-chart">
      {!dimension || measures.length === 0 ? (
        <p className="inlay-state">Choose a dimension and at least one measure.</p>
      ) : (
        <StateMessage response={results} />
      )}
      {shaped && option ? (
        <>
          <EChart reloading={reloading} load={loadBar} option={option} onItemClick={onItem} />
          <AccessibleTable caption={caption} {...seriesTable(shaped)} onRow={onItem} />
        </>
      ) : null}
    </Frame>
  );
}

export default defineComponent(BarChart, meta, {
  props: (inputs) => {
    const measures = asList(inputs.measures);
    const complete = Boolean(inputs.ds && inputs.dimension && measures.length > 0);
    return {
      title: inputs.title,
      dimension: inputs.dimension,
      measures,
      horizontal: inputs.horizontal === true,
      stacked: inputs.stacked === true,
      results: complete
        ? loadData({
            from: inputs.ds,
            dimensions: [inputs.dimension],
            measures,
            orderBy: [{ property: measures[0]!, direction: 'desc' }],
            limit: BAR_LIMIT,
          })
        : undefined,
    };
  },
  events: { onBarClick: (value) => ({ value }) },
  styles: baseStyles + chartStyles,
});
