// One ECharts instance bound to a template ref: created on first draw, re-created if v-if swaps the element,
// resized with its box, disposed with the component. The instance is kept out of Vue's reactivity on purpose.
import { onBeforeUnmount, type Ref } from 'vue';
import { echarts, type EChartsInstance, type EChartsOption } from '../modules/echarts.ts';

export function useEChart(container: Ref<HTMLElement | null>) {
  let chart: EChartsInstance | undefined;
  const observer = new ResizeObserver(() => chart?.resize());

  function draw(option: EChartsOption): void {
    const element = container.value;
    if (!element) return;
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
  }

  onBeforeUnmount(() => {
    observer.disconnect();
    chart?.dispose();
  });

  return { draw };
}
