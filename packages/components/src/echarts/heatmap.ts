// One small chunk per chart type, on top of the shared core chunk: the heatmap and the
// continuous visual map (its colour scale), which no other chart uses.
import { install } from 'echarts/lib/chart/heatmap/install.js';
import { install as VisualMapContinuous } from 'echarts/lib/component/visualMap/installVisualMapContinuous.js';
import { init, use } from './core.js';

use([install, VisualMapContinuous]);

export { init };
