import Decimal from 'decimal.js';
import { z } from 'zod';
import { coversFiscalYear, defineRule, nonNegativeDecimal, yuan, type Finding } from './define-rule.js';

const paramsSchema = z.strictObject({
  /** 政府采购限额标准 for goods and services (yuan): each part below it, together at or above it. */
  procurementThreshold: nonNegativeDecimal,
  minPayments: z.number().int().min(2).max(100),
  /** The payments fall within this many calendar days (first day to last day inclusive). */
  windowDays: z.number().int().min(1).max(366),
  /** Economic classes (prefixes) bought under procurement: goods and services, capital. */
  econPrefixes: z.array(z.string().regex(/^\d{3,5}$/, '须为 3–5 位经济分类代码')).min(1),
  /** Classes inside those prefixes that are not purchases (utilities, statutory transfers). */
  excludedEcon: z.array(z.string().regex(/^\d{3,5}$/, '须为 3–5 位经济分类代码')),
});
type Params = z.infer<typeof paramsSchema>;

/**
 * R20 疑似拆分支付: three or more payments from one unit to one payee within 10 days, each below
 * the procurement threshold but together at or above it. One alert per cluster: windows that
 * qualify and overlap are one case, reported with its largest window; the period is the day the
 * cluster starts. Payments are summed per unit × payee × day first (in one scan), refunds left
 * out (a split is about what was paid out), and only purchase classes count: salaries and
 * contributions paid to a bank or a fund in several batches are not procurement.
 */
export default defineRule<Params>({
  id: 'R20',
  nameZh: '疑似拆分支付',
  subject: '单位 × 收款人',
  defaults: {
    procurementThreshold: '1000000',
    minPayments: 3,
    windowDays: 10,
    econPrefixes: ['302', '309', '310'],
    excludedEcon: ['30205', '30206', '30207', '30228', '30229'],
  },
  paramsSchema,
  covers: coversFiscalYear,
  async evaluate(knex, ctx) {
    const p = ctx.params;
    const { rows } = await knex.raw(
      `with daily as (
         select v.agency_code, v.payee_name, v.pay_date, sum(v.amount) as amount, count(*)::int as n,
                min(v.dept_code) as dept_code
           from payment_vouchers v
          where v.region_code = :region and v.fiscal_year = :year and v.pay_date <= :asOf
            and v.amount > 0 and v.amount < :limit::numeric
            and v.econ_code like any(:prefixLike::text[])
            and not (v.econ_code like any(:excludedLike::text[]))
          group by v.agency_code, v.payee_name, v.pay_date
       ),
       pairs as (
         select agency_code, payee_name from daily group by 1, 2 having sum(amount) >= :limit::numeric and sum(n) >= :minN
       ),
       windows as (
         select d.*, sum(d.amount) over w as w_amount, sum(d.n) over w as w_n, max(d.pay_date) over w as w_last
           from daily d join pairs using (agency_code, payee_name)
         window w as (partition by d.agency_code, d.payee_name order by d.pay_date
                      range between current row and :span::int * interval '1 day' following)
       )
       select w.agency_code, w.dept_code, w.payee_name, w.pay_date, w.w_amount, w.w_n, w.w_last, a.agency_name
         from windows w
         left join agencies a on a.region_code = :region and a.agency_code = w.agency_code
        where w.w_amount >= :limit::numeric and w.w_n >= :minN
        order by w.agency_code, w.payee_name, w.pay_date`,
      {
        region: ctx.regionCode, year: ctx.fiscalYear, asOf: ctx.asOf, limit: p.procurementThreshold, minN: p.minPayments,
        span: p.windowDays - 1,
        prefixLike: p.econPrefixes.map((e) => `${e}%`), excludedLike: p.excludedEcon.length ? p.excludedEcon.map((e) => `${e}%`) : ['-'],
      },
    );
    // Overlapping qualifying windows of one unit × payee are one cluster.
    const findings: Finding[] = [];
    let current: { key: string; end: string; best: Record<string, string | number>; start: string } | null = null;
    const flush = () => {
      if (!current) return;
      const b = current.best;
      findings.push({
        subjectType: 'unit_payee',
        subjectKey: `unit_payee:${b.agency_code}|${b.payee_name}`,
        subjectName: `${b.agency_name ?? b.agency_code} → ${b.payee_name}`,
        period: current.start,
        severity: 'orange',
        measured: {
          total: String(b.w_amount), payments: String(b.w_n), firstDate: String(b.pay_date), lastDate: String(b.w_last), payee: String(b.payee_name),
        },
        threshold: { procurementThreshold: p.procurementThreshold, minPayments: String(p.minPayments), windowDays: String(p.windowDays) },
        drillLink: {
          route: '/drill',
          query: {
            region: ctx.regionCode, dept: String(b.dept_code), unit: String(b.agency_code), dateFrom: String(b.pay_date), dateTo: String(b.w_last),
            payee: String(b.payee_name),
          },
        },
      });
    };
    for (const r of rows as Record<string, string | number>[]) {
      const key = `${r.agency_code}|${r.payee_name}`;
      const start = String(r.pay_date);
      if (current && current.key === key && start <= current.end) {
        if (String(r.w_last) > current.end) current.end = String(r.w_last);
        if (new Decimal(String(r.w_amount)).gt(String(current.best.w_amount))) current.best = r;
        continue;
      }
      flush();
      current = { key, end: String(r.w_last), best: r, start };
    }
    flush();
    return findings;
  },
  explain(f) {
    const m = f.measured;
    return `${f.subjectName}：${m.firstDate} 至 ${m.lastDate} 共支付 ${m.payments} 笔合计 ${yuan(m.total)} 元，每笔均低于采购限额 ${yuan(f.threshold.procurementThreshold)} 元，合计达到限额`;
  },
});
