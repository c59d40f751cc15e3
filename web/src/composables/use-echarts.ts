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

  function init(box: HTMLElement) {
    chart.value = echarts.init(box, undefined, { renderer: 'svg' });
    if (onClick) chart.value.on('click', (p) => onClick(p as unknown as ChartClick));
    if (pending) chart.value.setOption(pending, { notMerge: true });
    pending = undefined;
  }

  onMounted(() => {
    const box = el.value;
    if (!box) return;
    // A box not laid out yet (0 px wide) would be drawn at ECharts' fallback size and shrunk
    // later: on a phone that showed tiny, overlapping gauges. Draw once the box has its width.
    if (box.clientWidth > 0) init(box);
    observer = new ResizeObserver(() => {
      if (chart.value) chart.value.resize();
      else if (box.clientWidth > 0) init(box);
    });
    observer.observe(box);
  });

  onBeforeUnmount(() => {
    observer?.disconnect();
    chart.value?.dispose();
    chart.value = undefined;
  });

  return { chart, render };
}
