// ECharts, tree-shaken: only the charts and components the dashboard draws (keeps the bundle small). Loaded on a
// page's first chart (composables/useEChart.ts), in a file of its own: a page asks for its figures without waiting for it.
import { BarChart, LineChart, MapChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  MapChart,
  LineChart,
  BarChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export { echarts };
export type EChartsInstance = echarts.ECharts;
export type EChartsOption = echarts.EChartsCoreOption;
