/** ECharts, registered once with only the chart types and components the app draws. */
import * as echarts from 'echarts/core';
import { BarChart, GaugeChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { BarSeriesOption, GaugeSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import type {
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { ComposeOption } from 'echarts/core';

echarts.use([BarChart, LineChart, PieChart, GaugeChart, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | GaugeSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | TitleComponentOption
  | TooltipComponentOption
>;

export const CHART_COLORS = ['#c0392b', '#2f6fbf', '#e6a23c', '#3ba272', '#8e5cc4', '#14a3b8', '#ee6666', '#73879c'];

export { echarts };

/**
 * Short tick labels for a money axis drawn in `unit` (drawing only; tooltips show the exact
 * formatted strings): 元 axes abbreviate to 万/亿 (of 元), 万元 axes to 亿 (1 亿 = 10,000 万).
 */
export function moneyTick(unit: 'yuan' | 'wan' | 'yi'): (v: number) => string {
  const short = (n: number) => String(+n.toFixed(2));
  return (v: number) => {
    const a = Math.abs(v);
    if (unit === 'yuan' && a >= 1e8) return `${short(v / 1e8)}亿`;
    if (unit === 'yuan' && a >= 1e4) return `${short(v / 1e4)}万`;
    if (unit === 'wan' && a >= 1e4) return `${short(v / 1e4)}亿`;
    return short(v);
  };
}
