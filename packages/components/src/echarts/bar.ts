// One small chunk per chart type, on top of the shared core chunk.
import { BarChart } from 'echarts/charts';
import { init, use } from './core.js';

use([BarChart]);

export { init };
