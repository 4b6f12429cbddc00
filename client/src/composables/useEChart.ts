// One ECharts instance bound to a template ref: created on first draw, re-created if v-if swaps the element,
// resized with its box, disposed with the component. The instance is kept out of Vue's reactivity on purpose.
// ECharts itself is loaded on the first draw of any chart (a file of its own, most of the dashboard's code): the page
// has asked for its figures and shown its numbers by then.
import { onBeforeUnmount, type Ref } from 'vue';
import type { EChartsInstance, EChartsOption } from '../modules/echarts.ts';

let echartsModule: Promise<typeof import('../modules/echarts.ts')> | undefined;
/** ECharts, loaded once for the page. */
export function loadECharts(): Promise<typeof import('../modules/echarts.ts')> {
  echartsModule ??= import('../modules/echarts.ts');
  echartsModule.catch(() => (echartsModule = undefined));
  return echartsModule;
}

export function useEChart(container: Ref<HTMLElement | null>) {
  let chart: EChartsInstance | undefined;
  let disposed = false;
  const observer = new ResizeObserver(() => chart?.resize());

  /** Draws the option once ECharts is there; a later draw meanwhile wins. */
  let latest: EChartsOption | undefined;
  function draw(option: EChartsOption): void {
    latest = option;
    void loadECharts().then(({ echarts }) => {
      const element = container.value;
      if (disposed || latest !== option || !element) return;
      if (chart && chart.getDom() !== element) {
        chart.dispose();
        chart = undefined;
      }
      if (!chart) {
        chart = echarts.init(element, undefined, { renderer: 'canvas' });
        observer.disconnect();
        observer.observe(element);
      }
      chart.setOption(option);
    });
  }

  onBeforeUnmount(() => {
    disposed = true;
    observer.disconnect();
    chart?.dispose();
  });

  return { draw };
}
