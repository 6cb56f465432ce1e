import { defineComponent, useClientContext, useTheme } from '@inlay/react';
import { type DataResponse, formatNumber, loadData, type MemberRef } from '@inlay/sdk';
import { useMemo } from 'react';
import { AccessibleTable } from '../shared/accessible-table.js';
import { type ChartOption, chartColors, chartStyles, EChart, usePreloadChart } from '../shared/chart.js';
import { Frame, StateMessage, stateOf, useStableResponse } from '../shared/frame.js';
import { annotationOf, memberKey } from '../shared/members.js';
import { categorySeries, seriesTable } from '../shared/series.js';
import { baseStyles } from '../shared/styles.js';

export const meta = {
  name: 'PieChart',
  label: 'Pie / donut chart',
  description: 'Shares of one measure by a dimension (the biggest slices).',
  category: 'Charts',
  defaultWidth: 4,
  defaultHeight: 4,
  inputs: [
    { name: 'ds', type: 'dataset', label: 'Dataset', required: true },
    { name: 'dimension', type: 'dimension', label: 'Slices', required: true, config: { dataset: 'ds' } },
    { name: 'measure', type: 'measure', label: 'Measure', required: true, config: { dataset: 'ds' } },
    { name: 'title', type: 'string', label: 'Title' },
    { name: 'donut', type: 'boolean', label: 'Donut', defaultValue: true },
  ],
} as const;

/** More slices than this are unreadable; the biggest are shown (the table says which). */
export const PIE_LIMIT = 12;

export interface PieChartProps {
  title?: string | undefined;
  dimension?: MemberRef | undefined;
  measure?: MemberRef | undefined;
  donut: boolean;
  results?: DataResponse | undefined;
}

const loadPie = () => import('../echarts/pie.js');

export function PieChart(props: PieChartProps) {
  usePreloadChart(loadPie);
  const ctx = useClientContext();
  const { variables } = useTheme();
  const { dimension, measure, donut } = props;
  const { shown: results, reloading } = useStableResponse(props.results);
  const ready = stateOf(results) === 'ready' && dimension && measure && results;
  const shaped = useMemo(
    () => (ready ? categorySeries(results, dimension, [measure], ctx) : undefined),
    [ready, results, dimension, measure, ctx],
  );
  const option = useMemo((): ChartOption | undefined => {
    if (!shaped || !results) return undefined;
    const colors = chartColors(variables);
    const s = shaped.series[0]!;
    const format = annotationOf(results.annotation, s.key)?.format;
    return {
      color: colors.series,
      backgroundColor: 'transparent',
      textStyle: { fontFamily: colors.font, color: colors.fg },
      animationDuration: 300,
      tooltip: {
        trigger: 'item',
        confine: true,
        backgroundColor: colors.surface,
        borderColor: colors.border,
        textStyle: { color: colors.fg, fontFamily: colors.font },
        valueFormatter: (v: unknown) =>
          typeof v === 'number' ? formatNumber(v, ctx, format ? { format } : {}) : '',
      },
      legend: {
        type: 'scroll',
        bottom: 0,
        textStyle: { color: colors.fg },
        pageTextStyle: { color: colors.muted },
      },
      series: [
        {
          type: 'pie',
          name: s.name,
          radius: donut ? ['45%', '72%'] : [0, '72%'],
          center: ['50%', '45%'],
          itemStyle: { borderColor: colors.surface, borderWidth: 2 },
          label: { show: false },
          data: shaped.categories.map((name, i) => ({ name, value: s.values[i] ?? 0 })),
        },
      ],
    };
  }, [shaped, results, variables, donut, ctx]);

  const caption = props.title ?? (shaped ? `${shaped.series[0]?.name} by ${shaped.dimensionTitle}` : '');
  return (
    <Frame title={props.title} className="inlay-pie-chart">
      {!dimension || !measure ? (
        <p className="inlay-state">Choose a dimension and a measure.</p>
      ) : (
        <StateMessage response={results} />
      )}
      {shaped && option ? (
        <>
          <EChart reloading={reloading} load={loadPie} option={option} />
          <AccessibleTable caption={caption} {...seriesTable(shaped)} />
        </>
      ) : null}
    </Frame>
  );
}

export default defineComponent(PieChart, meta, {
  props: (inputs) => ({
    title: inputs.title,
    dimension: inputs.dimension,
    measure: inputs.measure,
    donut: inputs.donut !== false,
    results:
      inputs.ds && inputs.dimension && inputs.measure
        ? loadData({
            from: inputs.ds,
            dimensions: [inputs.dimension],
            measures: [inputs.measure],
            orderBy: [{ property: memberKey(inputs.measure), direction: 'desc' }],
            limit: PIE_LIMIT,
          })
        : undefined,
  }),
  styles: baseStyles + chartStyles,
});
