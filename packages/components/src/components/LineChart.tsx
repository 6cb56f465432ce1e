import { defineComponent, useClientContext, useTheme } from '@inlay/react';
import { type DataResponse, loadData, type MemberRef } from '@inlay/sdk';
import { useMemo } from 'react';
import { AccessibleTable } from '../shared/accessible-table.js';
import { cartesianBase, categoryAxis, tooltipFormatter, valueAxis } from '../shared/axes.js';
import { type ChartOption, chartColors, chartStyles, EChart } from '../shared/chart.js';
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
}

const loadLine = () => import('../echarts/line.js');

/** The time dimension with its granularity settled (`day` when the builder gave none). */
export function withGranularity(ref: MemberRef): MemberRef {
  const g = ref.inputs?.granularity;
  return { ...ref, inputs: { ...ref.inputs, granularity: typeof g === 'string' && g ? g : 'day' } };
}

export function LineChart(props: LineChartProps) {
  const ctx = useClientContext();
  const { variables } = useTheme();
  const { timeDimension, measures, area } = props;
  const { shown: results, reloading } = useStableResponse(props.results);
  const ready = stateOf(results) === 'ready' && timeDimension !== undefined && results !== undefined;
  const shaped = useMemo(
    () => (ready ? categorySeries(results, timeDimension, measures, ctx) : undefined),
    [ready, results, timeDimension, measures, ctx],
  );
  const option = useMemo((): ChartOption | undefined => {
    if (!shaped || !results) return undefined;
    const colors = chartColors(variables);
    const points = shaped.categories.length;
    return {
      ...cartesianBase(colors, shaped.series.length),
      xAxis: categoryAxis(colors, shaped.categories, { boundaryGap: false }),
      yAxis: valueAxis(colors, ctx, annotationOf(results.annotation, memberKey(measures[0] ?? ''))),
      series: shaped.series.map((s) => ({
        type: 'line',
        name: s.name,
        data: s.values,
        showSymbol: points <= 60,
        symbolSize: 5,
        lineStyle: { width: 2 },
        ...(area ? { areaStyle: { opacity: 0.18 } } : {}),
        tooltip: tooltipFormatter(ctx, annotationOf(results.annotation, s.key)),
      })),
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
    </Frame>
  );
}

export default defineComponent(LineChart, meta, {
  props: (inputs) => {
    const measures = asList(inputs.measures);
    const time = inputs.timeDimension ? withGranularity(inputs.timeDimension) : undefined;
    return {
      title: inputs.title,
      timeDimension: time,
      measures,
      area: inputs.area === true,
      results:
        inputs.ds && time && measures.length > 0
          ? loadData({
              from: inputs.ds,
              measures,
              timeDimensions: [{ dimension: time.name, granularity: time.inputs?.granularity as string }],
              orderBy: [{ property: time.name, direction: 'asc' }],
              limit: LINE_LIMIT,
            })
          : undefined,
    };
  },
  styles: baseStyles + chartStyles,
});
