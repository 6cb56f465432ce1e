import { defineComponent, useClientContext, useTheme } from '@inlay/react';
import { type DataResponse, loadData, type MemberRef } from '@inlay/sdk';
import { useMemo } from 'react';
import { AccessibleTable } from '../shared/accessible-table.js';
import { cartesianBase, valueAxis } from '../shared/axes.js';
import {
  type ChartOption,
  chartColors,
  chartStyles,
  EChart,
  escapeHtml,
  usePreloadChart,
} from '../shared/chart.js';
import { Frame, StateMessage, stateOf, useStableResponse } from '../shared/frame.js';
import { annotationOf, memberKey } from '../shared/members.js';
import { categorySeries, seriesTable } from '../shared/series.js';
import { baseStyles } from '../shared/styles.js';

export const meta = {
  name: 'ScatterChart',
  label: 'Scatter chart',
  description: 'One point per value of a dimension, placed by two measures.',
  category: 'Charts',
  defaultWidth: 6,
  defaultHeight: 4,
  inputs: [
    { name: 'ds', type: 'dataset', label: 'Dataset', required: true },
    { name: 'x', type: 'measure', label: 'X axis', required: true, config: { dataset: 'ds' } },
    { name: 'y', type: 'measure', label: 'Y axis', required: true, config: { dataset: 'ds' } },
    { name: 'dimension', type: 'dimension', label: 'Points', required: true, config: { dataset: 'ds' } },
    { name: 'title', type: 'string', label: 'Title' },
  ],
} as const;

/** Points beyond this are a blur; the ones with the biggest x are shown (the table says which). */
export const SCATTER_LIMIT = 1000;

export interface ScatterChartProps {
  title?: string | undefined;
  x?: MemberRef | undefined;
  y?: MemberRef | undefined;
  dimension?: MemberRef | undefined;
  results?: DataResponse | undefined;
}

const loadScatter = () => import('../echarts/scatter.js');

export function ScatterChart(props: ScatterChartProps) {
  usePreloadChart(loadScatter);
  const ctx = useClientContext();
  const { variables } = useTheme();
  const { x, y, dimension } = props;
  const { shown: results, reloading } = useStableResponse(props.results);
  const ready = stateOf(results) === 'ready' && x && y && dimension && results;
  const shaped = useMemo(
    () => (ready ? categorySeries(results, dimension, [x, y], ctx) : undefined),
    [ready, results, dimension, x, y, ctx],
  );
  const option = useMemo((): ChartOption | undefined => {
    if (!shaped || !results) return undefined;
    const colors = chartColors(variables);
    const [sx, sy] = shaped.series as [(typeof shaped.series)[0], (typeof shaped.series)[0]];
    const named = (name: string, extra: ChartOption) => ({
      name,
      nameTextStyle: { color: colors.muted },
      ...extra,
    });
    return {
      ...cartesianBase(colors, 1),
      grid: { left: 8, right: 24, top: 28, bottom: 28, containLabel: true },
      tooltip: {
        ...cartesianBase(colors, 1).tooltip,
        trigger: 'item',
        formatter: (p: { dataIndex: number }) => {
          const i = p.dataIndex;
          return `<strong>${escapeHtml(shaped.categories[i] ?? '')}</strong><br>${escapeHtml(
            `${sx.name}: ${sx.labels[i]}`,
          )}<br>${escapeHtml(`${sy.name}: ${sy.labels[i]}`)}`;
        },
      },
      xAxis: {
        ...valueAxis(colors, ctx, annotationOf(results.annotation, sx.key)),
        ...named(sx.name, { nameLocation: 'middle', nameGap: 24 }),
        scale: true,
      },
      yAxis: {
        ...valueAxis(colors, ctx, annotationOf(results.annotation, sy.key)),
        ...named(sy.name, {
          nameLocation: 'end',
          nameGap: 12,
          nameTextStyle: { color: colors.muted, align: 'left' },
        }),
        scale: true,
      },
      series: [
        {
          type: 'scatter',
          name: `${sy.name} by ${sx.name}`,
          symbolSize: shaped.categories.length > 200 ? 5 : 9,
          itemStyle: { opacity: 0.75 },
          data: sx.values.map((v, i) => [v, sy.values[i]]),
          emphasis: { focus: 'self' },
        },
      ],
    };
  }, [shaped, results, variables, ctx]);

  const caption =
    props.title ??
    (shaped ? `${shaped.series[1]?.name} and ${shaped.series[0]?.name} by ${shaped.dimensionTitle}` : '');
  return (
    <Frame title={props.title} className="inlay-scatter-chart">
      {!x || !y || !dimension ? (
        <p className="inlay-state">Choose two measures and a dimension.</p>
      ) : (
        <StateMessage response={results} />
      )}
      {shaped && option ? (
        <>
          <EChart reloading={reloading} load={loadScatter} option={option} />
          <AccessibleTable caption={caption} {...seriesTable(shaped)} />
        </>
      ) : null}
    </Frame>
  );
}

export default defineComponent(ScatterChart, meta, {
  props: (inputs) => {
    const { ds, x, y, dimension } = inputs;
    const complete = Boolean(ds && x && y && dimension);
    return {
      title: inputs.title,
      x,
      y,
      dimension,
      results: complete
        ? loadData({
            from: ds,
            dimensions: [dimension],
            measures: memberKey(x) === memberKey(y) ? [x] : [x, y],
            orderBy: [{ property: x, direction: 'desc' }],
            limit: SCATTER_LIMIT,
          })
        : undefined,
    };
  },
  styles: baseStyles + chartStyles,
});
