// One small chunk per chart type, on top of the shared core chunk.
import { install } from 'echarts/lib/chart/scatter/install.js';
import { init, use } from './core.js';

use(install);

export { init };
