// One small chunk per chart type, on top of the shared core chunk.
import { LineChart } from 'echarts/charts';
import { init, use } from './core.js';

use([LineChart]);

export { init };
