// The shared ECharts layer (core, canvas renderer, grid, tooltip, legend): one chunk for every
// chart type. Only the specific modules are imported, never the `echarts` barrel (which is every
// chart); this file is reached through dynamic import() only, so a dashboard without charts
// never loads it.
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([CanvasRenderer, GridComponent, TooltipComponent, LegendComponent]);

export type { EChartsType } from 'echarts/core';
export { init, use };
