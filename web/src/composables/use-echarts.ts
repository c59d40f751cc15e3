import { onBeforeUnmount, onMounted, shallowRef, type Ref } from 'vue';
import { echarts, type ChartOption } from '@/plugins/echarts';

export interface ChartClick {
  name: string;
  seriesName?: string;
  dataIndex: number;
  data: unknown;
}

/**
 * Owns one ECharts instance on `el`: created on mount, resized with its box, disposed on
 * unmount. `render(option)` may be called before mount; the last option is drawn then.
 */
export function useEcharts(el: Ref<HTMLElement | undefined>, onClick?: (p: ChartClick) => void) {
  const chart = shallowRef<echarts.ECharts>();
  let pending: ChartOption | undefined;
  let observer: ResizeObserver | undefined;

  function render(option: ChartOption) {
    if (!chart.value) {
      pending = option;
      return;
    }
    chart.value.setOption(option, { notMerge: true });
  }

  onMounted(() => {
    if (!el.value) return;
    chart.value = echarts.init(el.value, undefined, { renderer: 'svg' });
    if (onClick) chart.value.on('click', (p) => onClick(p as unknown as ChartClick));
    if (pending) chart.value.setOption(pending, { notMerge: true });
    pending = undefined;
    observer = new ResizeObserver(() => chart.value?.resize());
    observer.observe(el.value);
  });

  onBeforeUnmount(() => {
    observer?.disconnect();
    chart.value?.dispose();
    chart.value = undefined;
  });

  return { chart, render };
}
