// One small chunk per chart type, on top of the shared core chunk.
import { PieChart } from 'echarts/charts';
import { init, use } from './core.js';

use([PieChart]);

export { init };
