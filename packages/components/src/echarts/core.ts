// The shared ECharts layer (core, canvas renderer, grid, tooltip, legend): one chunk for every
// chart type. Only per-feature `install` modules are imported, never a barrel (`echarts` is every
// chart; `echarts/components` shared by two charts merges their code into one chunk); this file
// is reached through dynamic import() only, so a dashboard without charts never loads it.
import { init, use } from 'echarts/core';
import { install as GridComponent } from 'echarts/lib/component/grid/install.js';
import { install as LegendComponent } from 'echarts/lib/component/legend/install.js';
import { install as TooltipComponent } from 'echarts/lib/component/tooltip/install.js';
import { install as CanvasRenderer } from 'echarts/lib/renderer/installCanvasRenderer.js';

use([CanvasRenderer, GridComponent, TooltipComponent, LegendComponent]);

export type { EChartsType } from 'echarts/core';
export { init, use };
