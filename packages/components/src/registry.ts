import type { ComponentDefinition } from '@inlay/core/dashboard-types';

/**
 * The standard components by name, each behind a dynamic import: the embed build turns every one
 * into its own chunk (charts pull the shared ECharts chunks only when they first render), and the
 * runtime loads just the components a dashboard uses.
 */
export const standardComponents: Record<string, () => Promise<{ default: ComponentDefinition }>> = {
  KpiCard: () => import('./components/KpiCard.js'),
  BarChart: () => import('./components/BarChart.js'),
  LineChart: () => import('./components/LineChart.js'),
  Table: () => import('./components/Table.js'),
  DateRangePicker: () => import('./components/DateRangePicker.js'),
  PieChart: () => import('./components/PieChart.js'),
  Dropdown: () => import('./components/Dropdown.js'),
  Text: () => import('./components/Text.js'),
  PivotTable: () => import('./components/PivotTable.js'),
  Heatmap: () => import('./components/Heatmap.js'),
  ScatterChart: () => import('./components/ScatterChart.js'),
  GranularityPicker: () => import('./components/GranularityPicker.js'),
};
