import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import type { ReportData } from './assemble.js';
import { D, type Decimal } from './decimal.js';
import { pct, yi } from './format.js';
import { CHART_FONT_FAMILY, chartFontFiles } from './fonts.js';
import { encodePngRows } from './png.js';

// The report's charts: ECharts rendered on the server to SVG (no DOM), then to PNG by resvg
// with the shipped CJK font. Numbers become JS numbers here for drawing only; labels carry
// the exact decimal strings.

export interface ChartImage {
  title: string;
  png: Buffer;
  /** Pixel size at 96 dpi that the docx shows it at. */
  width: number;
  height: number;
}

const WIDTH = 800;
const HEIGHT = 420;
const SCALE = 2; // PNG at 2× for print
const COLORS = ['#c23531', '#2f4554', '#61a0a8', '#d48265', '#91c7ae', '#749f83', '#ca8622', '#bda29a', '#6e7074'];

/** A chart as SVG, not yet rasterised. */
interface ChartSvg {
  title: string;
  svg: string;
}

function toSvg(option: echarts.EChartsCoreOption, title: string): ChartSvg {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  try {
    chart.setOption({
      animation: false,
      color: COLORS,
      backgroundColor: '#ffffff',
      // Drawn 800 px wide and shown 600 px (≈ 16 cm) wide: text sizes allow for the 0.75 scale.
      textStyle: { fontFamily: CHART_FONT_FAMILY, fontSize: 15 },
      ...option,
    });
    return { title, svg: chart.renderToSVGString() };
  } finally {
    chart.dispose();
  }
}

/**
 * Rasterise the charts in one resvg pass: resvg loads the 10 MB CJK font for every render,
 * so the charts are stacked into one SVG, drawn once, and cut into one PNG each.
 */
export function rasterise(charts: ChartSvg[]): ChartImage[] {
  const stacked =
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${WIDTH}" height="${HEIGHT * charts.length}">` +
    charts.map((c, i) => c.svg.replace(/^<svg /, `<svg x="0" y="${HEIGHT * i}" `)).join('') +
    '</svg>';
  const image = new Resvg(stacked, {
    font: { fontFiles: chartFontFiles(), loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY, sansSerifFamily: CHART_FONT_FAMILY },
    fitTo: { mode: 'zoom', value: SCALE },
    background: '#ffffff',
  }).render();
  const rowsPerChart = HEIGHT * SCALE;
  return charts.map((c, i) => ({
    title: c.title,
    png: encodePngRows(image.pixels, image.width, rowsPerChart * i, rowsPerChart),
    width: 600,
    height: Math.round((600 * HEIGHT) / WIDTH),
  }));
}

const percentNumber = (r: Decimal | undefined) => (r === undefined ? null : Number(r.times(100).toFixed(2)));
const yiNumber = (v: Decimal) => Number(v.div(1e8).toFixed(2));

/** Cumulative general-budget execution rate at each month end against time progress. */
export function executionCurveChart(data: ReportData): ChartSvg {
  const months = data.monthly.map((m) => `${m.month}月`);
  // End labels: the higher line's label above its end, the lower one's below, so close values do not overlap.
  const last = data.monthly[data.monthly.length - 1];
  const execHigher = !!last?.rate && last.rate.greaterThanOrEqualTo(last.timeProgress);
  const label = (exact: string | undefined, above: boolean) => ({
    show: true,
    formatter: () => (exact === undefined ? '' : `${exact}%`),
    fontSize: 16,
    offset: [0, above ? -12 : 12],
  });
  return toSvg(
    {
      title: { text: `${data.scopeLabel}一般公共预算支出累计执行进度与时序进度`, left: 'center', top: 8, textStyle: { fontSize: 20 } },
      legend: { top: 40, textStyle: { fontSize: 15 }, data: ['累计执行率', '时序进度'] },
      grid: { left: 60, right: 80, top: 80, bottom: 40 },
      xAxis: { type: 'category', data: months, boundaryGap: false, axisLabel: { fontSize: 15 } },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%', fontSize: 15 } },
      series: [
        {
          name: '累计执行率',
          type: 'line',
          data: data.monthly.map((m) => percentNumber(m.rate)),
          endLabel: { ...label(last?.rate ? pct(last.rate) : undefined, execHigher), fontWeight: 'bold' },
          lineStyle: { width: 3 },
        },
        {
          name: '时序进度',
          type: 'line',
          data: data.monthly.map((m) => percentNumber(m.timeProgress)),
          lineStyle: { type: 'dashed', width: 2 },
          endLabel: label(last ? pct(last.timeProgress) : undefined, !execHigher),
        },
      ],
    },
    '图1 一般公共预算支出累计执行进度与时序进度',
  );
}

/** General-budget spending by function class: the largest seven and 其他. */
export function expenditureStructureChart(data: ReportData): ChartSvg {
  const lines = [...data.functionClasses].filter((l) => l.paid.greaterThan(0)).sort((a, b) => b.paid.comparedTo(a.paid));
  const slices = lines.slice(0, 7).map((l) => ({ name: l.name, paid: l.paid }));
  const rest = lines.slice(7).reduce((s, l) => s.plus(l.paid), D(0));
  if (rest.greaterThan(0)) slices.push({ name: '其他', paid: rest });
  // Labels carry exact figures (亿元 and share of the total, 2 decimals); the numbers only size the slices.
  const total = slices.reduce((s, x) => s.plus(x.paid), D(0));
  const labels = slices.map((x) => `${x.name}\n${yi(x.paid)}亿元（${pct(x.paid.div(total))}%）`);
  const top = slices.map((x) => ({ name: x.name, value: yiNumber(x.paid) }));
  return toSvg(
    {
      title: { text: `${data.scopeLabel}一般公共预算支出结构（亿元）`, left: 'center', top: 8, textStyle: { fontSize: 20 } },
      series: [
        {
          type: 'pie',
          radius: ['35%', '62%'],
          center: ['50%', '56%'],
          data: top.length ? top : [{ name: '暂无支出', value: 0 }],
          label: { formatter: (p: { dataIndex: number }) => labels[p.dataIndex] ?? '', fontSize: 16 },
          labelLine: { length: 12, length2: 10 },
        },
      ],
    },
    '图2 一般公共预算支出结构',
  );
}

/** Principal and interest falling due per year after the as-of date: the maturity wall. */
export function maturityWallChart(data: ReportData): ChartSvg {
  const years = data.debt.maturity.map((m) => `${m.year}年`);
  return toSvg(
    {
      title: { text: `${data.scopeLabel}政府债务还本付息到期分布（亿元）`, left: 'center', top: 8, textStyle: { fontSize: 20 } },
      legend: { top: 40, textStyle: { fontSize: 15 }, data: ['本金', '利息'] },
      grid: { left: 60, right: 30, top: 80, bottom: 40 },
      xAxis: { type: 'category', data: years.length ? years : ['无到期'], axisLabel: { fontSize: 15 } },
      yAxis: { type: 'value', name: '亿元', axisLabel: { fontSize: 15 }, nameTextStyle: { fontSize: 15 } },
      series: [
        { name: '本金', type: 'bar', stack: 'debt', data: data.debt.maturity.map((m) => yiNumber(m.principal)), barMaxWidth: 48 },
        {
          name: '利息',
          type: 'bar',
          stack: 'debt',
          data: data.debt.maturity.map((m) => yiNumber(m.interest)),
          barMaxWidth: 48,
          label: { show: data.debt.maturity.length <= 12, position: 'top', formatter: (p: { dataIndex: number }) => yi(data.debt.maturity[p.dataIndex]!.principal.plus(data.debt.maturity[p.dataIndex]!.interest)) },
        },
      ],
    },
    '图3 政府债务还本付息到期分布',
  );
}

export function renderCharts(data: ReportData): ChartImage[] {
  return rasterise([executionCurveChart(data), expenditureStructureChart(data), maturityWallChart(data)]);
}
