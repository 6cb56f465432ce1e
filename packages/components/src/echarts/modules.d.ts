// ECharts ships types only for its entry points; these are its per-feature `install` modules,
// imported directly so each chart type lands in its own chunk (the `echarts/charts` barrel, once
// shared by two charts, would put both into one common chunk).
declare module 'echarts/lib/*/install.js' {
  export const install: Exclude<Parameters<typeof import('echarts/core').use>[0], unknown[]>;
}
declare module 'echarts/lib/renderer/installCanvasRenderer.js' {
  export const install: Exclude<Parameters<typeof import('echarts/core').use>[0], unknown[]>;
}
declare module 'echarts/lib/component/visualMap/installVisualMapContinuous.js' {
  export const install: Exclude<Parameters<typeof import('echarts/core').use>[0], unknown[]>;
}
