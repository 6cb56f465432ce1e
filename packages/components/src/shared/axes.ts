import { type ClientContext, formatNumber, type MemberAnnotation } from '@inlay/sdk';
import type { ChartOption, chartColors } from './chart.js';

type Colors = ReturnType<typeof chartColors>;

/** Options every cartesian chart shares: colours, fonts, grid, legend, tooltip. */
export function cartesianBase(colors: Colors, seriesCount: number): ChartOption {
  return {
    color: colors.series,
    backgroundColor: 'transparent',
    textStyle: { fontFamily: colors.font, color: colors.fg },
    animationDuration: 300,
    grid: { left: 8, right: 16, top: seriesCount > 1 ? 36 : 12, bottom: 8, containLabel: true },
    legend:
      seriesCount > 1
        ? { top: 0, type: 'scroll', textStyle: { color: colors.fg }, pageTextStyle: { color: colors.muted } }
        : { show: false },
    tooltip: {
      trigger: 'axis',
      confine: true,
      backgroundColor: colors.surface,
      borderColor: colors.border,
      textStyle: { color: colors.fg, fontFamily: colors.font },
    },
  };
}

export function categoryAxis(colors: Colors, categories: string[], extra: ChartOption = {}): ChartOption {
  return {
    type: 'category',
    data: categories,
    axisLabel: { color: colors.muted, hideOverlap: true, width: 120, overflow: 'truncate' },
    axisLine: { lineStyle: { color: colors.border } },
    axisTick: { show: false },
    ...extra,
  };
}

/** A value axis whose labels are short (`1.2M`), in the client's locale and the measure's format. */
export function valueAxis(colors: Colors, ctx: ClientContext, annotation?: MemberAnnotation): ChartOption {
  const format = annotation?.format;
  return {
    type: 'value',
    axisLabel: {
      color: colors.muted,
      hideOverlap: true,
      formatter: (v: number) => formatNumber(v, ctx, { compact: true, ...(format ? { format } : {}) }),
    },
    splitLine: { lineStyle: { color: colors.border, opacity: 0.6 } },
  };
}

/** Tooltip values formatted like the table (the default tooltip escapes category names). */
export function tooltipFormatter(ctx: ClientContext, annotation?: MemberAnnotation) {
  const format = annotation?.format;
  return {
    valueFormatter: (v: unknown) =>
      typeof v === 'number' ? formatNumber(v, ctx, format ? { format } : {}) : String(v ?? '–'),
  };
}
