import type { KeySupervisionFigures } from '../features/key-supervision/contract.js';
import { D } from './decimal.js';
import { chineseDate, wan } from './format.js';

// 重点监督 (issue 15) in the quarterly report: the same figures as the overview's block
// (features/key-supervision/figures.ts) for the report's scope and as-of date. Amounts here
// are small beside the budget totals, so the prose says 万元, not 亿元.

/** The section's sentences; `label` is the report's scope wording (漯河市本级 / 漯河市全市). */
export function keySupervisionParagraphs(k: KeySupervisionFigures, label: string): string[] {
  const p = k.performance;
  const t = k.transfers;
  const date = chineseDate(k.asOf);
  const perf =
    `截至${date}，${label}${k.fiscalYear}年度项目支出指标${p.projects}个，其中设定量化产出目标的${p.measured}个，` +
    (p.behind
      ? `支出进度快于产出目标完成进度的${p.behind}个，差距最大的是${p.worst!.projectName ?? p.worst!.indicatorNo}（${D(p.worst!.gap).toFixed(2)}个百分点）`
      : '未发现支出进度快于产出目标完成进度的项目') +
    `；50万元及以上未设定绩效目标的项目${p.noTargets.count}个，金额${wan(p.noTargets.amount)}万元。`;
  const d = t.directFunds;
  const within = t.withinScope && !D(t.withinScope.received).isZero()
    ? `（其中辖区内上下级之间${wan(t.withinScope.received)}万元，上下级各计一次，未抵消）`
    : '';
  const transfers =
    `${label}收到上级转移支付${wan(t.received)}万元、下达下级${wan(t.passedDown)}万元${within}。` +
    (d.count
      ? `直达资金${d.count}笔、${wan(d.amount)}万元，平均分配用时${d.averageDays}天，超过30天的${d.over30}笔，尚未分配的${d.notAllocated}笔；`
      : '本期无直达资金；') +
    (t.idle.count ? `形成指标后闲置的转移支付${t.idle.count}笔、${wan(t.idle.amount)}万元。` : '未发现闲置的转移支付资金。');
  const pay = k.payments;
  const payments =
    (pay.large.count ? `向个人大额支付${pay.large.count}笔、${wan(pay.large.amount)}万元` : '未发现向个人大额支付') +
    (pay.split.count ? `；疑似拆分支付${pay.split.count}组、合计${wan(pay.split.amount)}万元。` : '；未发现疑似拆分支付。');
  return [perf, transfers, payments];
}

/** 表14's rows: item, count, amount in 万元 ('—' where the item has none), the rule that flags it. */
export function keySupervisionRows(k: KeySupervisionFigures): string[][] {
  const p = k.performance;
  const t = k.transfers;
  return [
    ['支出进度快于产出目标完成进度的项目', String(p.behind), '—', 'R21'],
    ['50万元及以上未设定绩效目标的项目', String(p.noTargets.count), wan(p.noTargets.amount), 'R21'],
    ['直达资金', String(t.directFunds.count), wan(t.directFunds.amount), '—'],
    ['其中：分配用时超过30天', String(t.directFunds.over30), '—', 'R22'],
    ['闲置的转移支付', String(t.idle.count), wan(t.idle.amount), 'R23'],
    ['向个人大额支付', String(k.payments.large.count), wan(k.payments.large.amount), 'R19'],
    ['疑似拆分支付（组）', String(k.payments.split.count), wan(k.payments.split.amount), 'R20'],
  ];
}
