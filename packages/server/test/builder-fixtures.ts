/** A KPI widget on a `flights` dataset input `ds`, as the builder writes one (shared by the builder tests). */
export const KPI_WIDGET = {
  id: 'kpi',
  component: 'KpiCard',
  position: { x: 0, y: 0 },
  dimensions: { width: 4, height: 2 },
  inputs: [
    { input: 'ds', inputType: 'dataset', valueType: 'VALUE', value: 'flights' },
    {
      input: 'measure',
      inputType: 'measure',
      valueType: 'VALUE',
      value: 'flights.count',
      config: { dataset: 'ds' },
    },
  ],
};
