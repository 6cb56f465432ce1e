import { defineComponent, useClientContext, useTheme } from '@inlay/react';
import { type DataResponse, formatNumber, loadData, type MemberRef } from '@inlay/sdk';
import { useMemo } from 'react';
import { AccessibleTable } from '../shared/accessible-table.js';
import { categoryAxis } from '../shared/axes.js';
import {
  type ChartOption,
  chartColors,
  chartStyles,
  EChart,
  escapeHtml,
  mixColors,
  usePreloadChart,
} from '../shared/chart.js';
import { Frame, StateMessage, stateOf, useStableResponse } from '../shared/frame.js';
import { toMatrix } from '../shared/matrix.js';
import { annotationOf, memberKey } from '../shared/members.js';
import { baseStyles } from '../shared/styles.js';

export const meta = {
  name: 'Heatmap',
  label: 'Heatmap',
  description: 'A measure by two dimensions as a grid of coloured cells.',
  category: 'Charts',
  defaultWidth: 6,
  defaultHeight: 4,
  inputs: [
    { name: 'ds', type: 'dataset', label: 'Dataset', required: true },
    {
      name: 'x',
      type: 'dimension',
      label: 'Columns (x)',
      required: true,
      config: { dataset: 'ds' },
      inputs: [{ name: 'granularity', type: 'granularity', label: 'Granularity (time dimensions)' }],
    },
    {
      name: 'y',
      type: 'dimension',
      label: 'Rows (y)',
      required: true,
      config: { dataset: 'ds' },
      inputs: [{ name: 'granularity', type: 'granularity', label: 'Granularity (time dimensions)' }],
    },
    { name: 'measure', type: 'measure', label: 'Measure', required: true, config: { dataset: 'ds' } },
    { name: 'title', type: 'string', label: 'Title' },
  ],
} as const;

/** Cells loaded at most (e.g. 50 × 100); past that the grid is unreadable anyway. */
export const HEATMAP_LIMIT = 5000;

export interface HeatmapProps {
  title?: string | undefined;
  x?: MemberRef | undefined;
  y?: MemberRef | undefined;
  measure?: MemberRef | undefined;
  results?: DataResponse | undefined;
}

const loadHeatmap = () => import('../echarts/heatmap.js');

export function Heatmap(props: HeatmapProps) {
  usePreloadChart(loadHeatmap);
  const ctx = useClientContext();
  const { variables } = useTheme();
  const { x, y, measure } = props;
  const { shown: results, reloading } = useStableResponse(props.results);
  const ready = stateOf(results) === 'ready' && x && y && measure && results;
  const matrix = useMemo(
    () => (ready ? toMatrix(results, x, y, measure, ctx) : undefined),
    [ready, results, x, y, measure, ctx],
  );
  const option = useMemo((): ChartOption | undefined => {
    if (!matrix || !results || !measure) return undefined;
    const colors = chartColors(variables);
    const high = colors.series[0] ?? '#2563eb';
    const format = annotationOf(results.annotation, memberKey(measure))?.format;
    const short = (v: number) => formatNumber(v, ctx, { compact: true, ...(format ? { format } : {}) });
    return {
      backgroundColor: 'transparent',
      textStyle: { fontFamily: colors.font, color: colors.fg },
      animationDuration: 300,
      grid: { left: 8, right: 16, top: 8, bottom: 40, containLabel: true },
      tooltip: {
        trigger: 'item',
        confine: true,
        backgroundColor: colors.surface,
        borderColor: colors.border,
        textStyle: { color: colors.fg, fontFamily: colors.font },
        formatter: (p: { data: [number, number, number | null] }) => {
          const [xi, yi] = p.data;
          return escapeHtml(`${matrix.yLabels[yi]} · ${matrix.xLabels[xi]}: ${matrix.text[yi]?.[xi] || '–'}`);
        },
      },
      xAxis: categoryAxis(colors, matrix.xLabels, { splitArea: { show: false } }),
      yAxis: categoryAxis(colors, matrix.yLabels, {
        inverse: true,
        axisLabel: { color: colors.muted, width: 90, overflow: 'truncate' },
      }),
      visualMap: {
        type: 'continuous',
        min: matrix.min,
        max: matrix.max === matrix.min ? matrix.min + 1 : matrix.max,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemWidth: 10,
        itemHeight: 140,
        calculable: false,
        // The scale's two ends, in the measure's format (`text` is [high end, low end]).
        text: [short(matrix.max), short(matrix.min)],
        textGap: 6,
        textStyle: { color: colors.muted },
        formatter: short,
        inRange: { color: [mixColors(high, colors.surface, 0.78), high] },
      },
      series: [
        {
          type: 'heatmap',
          name: matrix.valueTitle,
          data: matrix.cells,
          itemStyle: { borderColor: colors.surface, borderWidth: 1 },
          emphasis: { itemStyle: { borderColor: colors.fg, borderWidth: 1 } },
        },
      ],
    };
  }, [matrix, results, measure, variables, ctx]);

  const caption =
    props.title ?? (matrix ? `${matrix.valueTitle} by ${matrix.yTitle} and ${matrix.xTitle}` : '');
  return (
    <Frame title={props.title} className="inlay-heatmap">
      {!x || !y || !measure ? (
        <p className="inlay-state">Choose two dimensions and a measure.</p>
      ) : (
        <StateMessage response={results} />
      )}
      {matrix && option ? (
        <>
          <EChart reloading={reloading} load={loadHeatmap} option={option} />
          <AccessibleTable
            caption={caption}
            headers={[matrix.yTitle, ...matrix.xLabels]}
            rows={matrix.yLabels.map((label, yi) => [label, ...matrix.text[yi]!.map((t) => t || '–')])}
          />
        </>
      ) : null}
    </Frame>
  );
}

export default defineComponent(Heatmap, meta, {
  props: (inputs) => {
    const { ds, x, y, measure } = inputs;
    return {
      title: inputs.title,
      x,
      y,
      measure,
      results:
        ds && x && y && measure
          ? loadData({
              from: ds,
              dimensions: [x, y],
              measures: [measure],
              orderBy: [
                { property: x, direction: 'asc' },
                { property: y, direction: 'asc' },
              ],
              limit: HEATMAP_LIMIT,
            })
          : undefined,
    };
  },
  styles: baseStyles + chartStyles,
});
