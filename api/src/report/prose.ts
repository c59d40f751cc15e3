import type { ExecutionLine, ReportData, RevenueLine } from './assemble.js';
import { ratio, sum } from './decimal.js';
import { chineseDate, gapPhrase, growthPhrase, pct, yi } from './format.js';
import { monthEnd } from './quarter.js';

// The report's generated Chinese narrative. Every figure is formatted from the assembled
// exact decimals: 亿元 with 2 decimals, percentages with 2 decimals.

/** "1—9月" at a month end; "1月1日—9月15日" mid-month. */
export function periodLabel(asOf: string): string {
  const year = Number(asOf.slice(0, 4));
  const month = Number(asOf.slice(5, 7));
  const day = Number(asOf.slice(8, 10));
  if (asOf === monthEnd(year, month)) return month === 1 ? '1月' : `1—${month}月`;
  return `1月1日—${month}月${day}日`;
}

/** "完成xx亿元，占预算的xx%，低于时序进度x个百分点，同比增长x%" for one line. */
export function executionClause(l: ExecutionLine | RevenueLine, amount: 'paid' | 'amount' = 'paid'): string {
  const value = amount === 'paid' ? (l as ExecutionLine).paid : (l as RevenueLine).amount;
  const last = amount === 'paid' ? (l as ExecutionLine).lastPaid : (l as RevenueLine).lastAmount;
  const parts = [`完成${yi(value)}亿元`];
  if (l.rate === undefined) parts.push('未编列预算');
  else parts.push(`占预算的${pct(l.rate)}%`, gapPhrase(l.gap));
  parts.push(last.isZero() ? '上年同期无可比数据' : growthPhrase(l.growth));
  return parts.join('，');
}

export function timeProgressSentence(d: ReportData): string {
  const b = d.timeProgressBasis;
  const basis = b.convention === 'days' ? `已过${b.elapsed}天，全年${b.total}天` : `已过${b.elapsed}个整月，全年12个月`;
  return `截至${chineseDate(d.asOf)}，时序进度为${pct(d.timeProgress)}%（${basis}）。`;
}

/** The summary (总体情况): general-budget revenue and expenditure, then the other budgets. */
export function summaryParagraphs(d: ReportData): string[] {
  const period = periodLabel(d.asOf);
  const out: string[] = [timeProgressSentence(d)];
  const generalRevenue = d.revenue.find((r) => r.budgetType === '1');
  if (generalRevenue) {
    let s = `${period}，${d.scopeLabel}一般公共预算收入${executionClause(generalRevenue.total, 'amount')}。`;
    const tax = generalRevenue.classes.find((c) => c.code === '101');
    const share = tax && ratio(tax.amount, generalRevenue.total.amount);
    if (tax && share) s += `其中，税收收入${yi(tax.amount)}亿元，占一般公共预算收入的${pct(share)}%。`;
    out.push(s);
  }
  const general = d.expenditure.find((e) => e.code === '1');
  if (general) out.push(`${period}，${d.scopeLabel}一般公共预算支出${executionClause(general)}。`);
  else out.push(`${period}，${d.scopeLabel}暂无一般公共预算支出数据。`);
  const others = d.expenditure.filter((e) => e.code !== '1');
  const withData = others.filter((e) => !e.budget.isZero() || !e.paid.isZero());
  const without = others.filter((e) => !withData.includes(e));
  const sentences = withData.map((e) => `${e.name}支出${executionClause(e)}`);
  if (without.length) sentences.push(`${without.map((e) => e.name).join('、')}本期无指标和支出数据`);
  if (sentences.length) out.push(`${sentences.join('；')}。`);
  const lh = d.livelihood.filter((l) => !l.budget.isZero() || !l.paid.isZero());
  if (lh.length) {
    const total = sum(lh.map((l) => l.paid));
    const share = general ? ratio(total, general.paid) : undefined;
    out.push(
      `重点民生领域支出${yi(total)}亿元${share ? `，占一般公共预算支出的${pct(share)}%` : ''}：${lh
        .map((l) => `${l.name}${yi(l.paid)}亿元，执行率${pct(l.rate)}%`)
        .join('；')}。`,
    );
  }
  const slow = d.departments.behind[0];
  if (slow && slow.gap?.isNegative()) {
    out.push(`部门支出进度方面，${slow.name}执行率${pct(slow.rate)}%，${gapPhrase(slow.gap)}，为${d.scopeLabel}最慢。`);
  }
  if (d.alerts.total > 0) {
    out.push(
      `截至${d.alerts.asOf}，${d.scopeLabel}预警${d.alerts.total}条，其中红色${d.alerts.bySeverity.red}条、橙色${d.alerts.bySeverity.orange}条、黄色${d.alerts.bySeverity.yellow}条。`,
    );
  }
  return out;
}

/** The four budgets' expenditure, those without any data named together. */
export function expenditureParagraph(d: ReportData): string {
  const withData = d.expenditure.filter((e) => !e.budget.isZero() || !e.paid.isZero());
  const without = d.expenditure.filter((e) => !withData.includes(e));
  const sentences = withData.map((e) => `${e.name}支出${executionClause(e)}`);
  if (without.length) sentences.push(`${without.map((e) => e.name).join('、')}本期无指标和支出数据`);
  return sentences.length ? `${sentences.join('；')}。` : '本期无支出执行数据。';
}

export function livelihoodParagraph(d: ReportData): string {
  return d.livelihood
    .map((l) =>
      l.budget.isZero() && l.paid.isZero()
        ? `${l.name}：本期无预算和支出数据。`
        : `${l.name}${executionClause(l)}。`,
    )
    .join('');
}

export function departmentsParagraph(d: ReportData): string {
  const { behind, ahead, count } = d.departments;
  if (!count) return '本期无部门预算执行数据。';
  const list = (ls: ExecutionLine[]) => ls.map((l) => `${l.name}（${pct(l.rate)}%）`).join('、');
  let s = `纳入统计的主管部门${count}个。`;
  if (behind.length) s += `支出进度较慢的部门依次为：${list(behind)}。`;
  if (ahead.length) s += `支出进度较快的部门依次为：${list(ahead)}。`;
  return s;
}

export function debtParagraph(d: ReportData): string {
  const L = d.debt.limits;
  const parts: string[] = [];
  if (L) {
    const balance = L.generalBalance.plus(L.specialBalance);
    const limit = L.generalLimit.plus(L.specialLimit);
    parts.push(
      `${L.year}年度，${d.scopeLabel}政府债务余额${yi(balance)}亿元（一般债务${yi(L.generalBalance)}亿元、专项债务${yi(L.specialBalance)}亿元），` +
        `债务限额${yi(limit)}亿元，余额占限额的${pct(ratio(balance, limit))}%；债务率${pct(ratio(balance, L.fiscalCapacity))}%。`,
    );
  } else {
    parts.push('本期未报送政府债务限额与余额数据。');
  }
  const n = d.debt.nextQuarter;
  parts.push(
    n.count
      ? `下季度（${n.key}）到期应还债券${n.count}笔，本金${yi(n.principal)}亿元、利息${yi(n.interest)}亿元，合计${yi(n.principal.plus(n.interest))}亿元。`
      : `下季度（${n.key}）无到期应还债券。`,
  );
  if (d.debt.overdue.count) {
    parts.push(`截至${chineseDate(d.asOf)}，逾期未还${d.debt.overdue.count}笔，本息${yi(d.debt.overdue.principal.plus(d.debt.overdue.interest))}亿元。`);
  }
  return parts.join('');
}

export function assetsParagraph(d: ReportData): string {
  const a = d.assets;
  const parts: string[] = [];
  if (a.categories.length) {
    parts.push(
      `${a.reportYear}年度国有资产报告：${a.categories
        .map((c) => `${c.category}${c.entities}户，资产总额${yi(c.assets)}亿元，资产负债率${pct(c.ratio)}%`)
        .join('；')}。`,
    );
  } else {
    parts.push('本期未报送国有资产报表。');
  }
  parts.push(
    a.idle.count
      ? `行政事业单位闲置资产${a.idle.count}项，原值${yi(a.idle.originalValue)}亿元，其中闲置满一年的${a.idle.overYear}项、满两年的${a.idle.overTwoYears}项。`
      : '行政事业单位无闲置资产。',
  );
  return parts.join('');
}

export function auditParagraph(d: ReportData): string {
  const a = d.audit;
  if (!a.total) return '本期无审计查出问题数据。';
  const byCount = ratio(a.rectified, a.total);
  const byAmount = ratio(a.rectifiedAmount, a.amountInvolved);
  return (
    `审计查出问题${a.total}个，已整改${a.rectified}个，整改率${pct(byCount)}%；涉及金额${yi(a.amountInvolved)}亿元，已整改金额${yi(a.rectifiedAmount)}亿元` +
    `${byAmount ? `（${pct(byAmount)}%）` : ''}。${a.overdue ? `逾期未整改${a.overdue}个。` : '无逾期未整改问题。'}`
  );
}

export function alertsParagraph(d: ReportData): string {
  const a = d.alerts;
  // The warnings that held on the report's date, whenever the rules last ran: said with the date and how it was known.
  const basis = a.source === 'stored' ? `（${a.asOf}规则评估结果）` : `（按截至${a.asOf}的数据评估预警规则得出）`;
  if (!a.total) return `截至${a.asOf}，${d.scopeLabel}无成立的预警${basis}。`;
  return `截至${a.asOf}，${d.scopeLabel}成立的预警共${a.total}条${basis}：红色${a.bySeverity.red}条、橙色${a.bySeverity.orange}条、黄色${a.bySeverity.yellow}条，涉及规则${a.byRule.length}项。${
    a.red.length ? '红色（严重）预警逐条列示如下。' : '无红色（严重）预警。'
  }`;
}
