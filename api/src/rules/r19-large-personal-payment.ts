import { z } from 'zod';
import {
  bandOf, bandsSchema, coversFiscalYear, defineRule, lowestBand, yuan, type Bands, type Finding,
} from './define-rule.js';
import { classifyPayee, PERSON_CANDIDATE_SQL } from './natural-person.js';

const econClass = z.string().regex(/^\d{3}$/, '须为 3 位经济分类类级代码，例如 "301"');

const paramsSchema = z.strictObject({
  /** Bands for payments outside the classes that pay individuals by design. */
  bands: bandsSchema(['yellow', 'orange', 'red'] as const),
  /** 301 工资福利, 303 对个人和家庭的补助: individuals are their normal payees … */
  individualClasses: z.array(econClass),
  /** … but many people each get a small amount, so one person getting this much is still an alert. */
  individualClassBands: bandsSchema(['yellow', 'orange', 'red'] as const),
});
type Params = z.infer<typeof paramsSchema>;

const lowestOf = (p: Params) => lowestBand({ yellow: lowestBand(p.bands), orange: lowestBand(p.individualClassBands) });

/**
 * R19 大额个人支付: a voucher paying a natural person (natural-person.ts) a large amount.
 * RULES.md leaves out 301 工资福利 and 303 对个人和家庭的补助, whose payees are people by
 * design; those classes are judged by their own, higher bands instead (default orange
 * 500,000 / red 1,000,000), because salaries, bonuses and 低保 are paid to many people in small
 * amounts (or to a bank's 代发 account): a 1,571,293.85 元 bonus or a 1,354,600.00 元 低保
 * payment to one named person is exactly what a committee wants to see. Known false
 * positive there: a civil servant's one-off death benefit (一次性抚恤金, 30304) can exceed
 * 1,000,000 yuan; staff dismiss it as 误报 with the reason.
 */
export default defineRule<Params>({
  id: 'R19',
  nameZh: '大额个人支付',
  subject: '支付凭证（收款人为自然人）',
  defaults: {
    bands: { yellow: '50000', orange: '200000', red: '1000000' },
    individualClasses: ['301', '303'],
    individualClassBands: { orange: '500000', red: '1000000' },
  },
  paramsSchema,
  covers: coversFiscalYear,
  async evaluate(knex, ctx) {
    const p = ctx.params;
    const { rows } = await knex.raw(
      `select v.voucher_no, v.pay_date, v.dept_code, v.agency_code, v.econ_code, v.payee_name, v.payee_account, v.amount,
              a.agency_name
         from payment_vouchers v
         left join agencies a on a.region_code = v.region_code and a.agency_code = v.agency_code
        where v.region_code = :region and v.fiscal_year = :year and v.pay_date <= :asOf and v.amount >= :lowest::numeric
          and ${PERSON_CANDIDATE_SQL}
        order by v.voucher_no`,
      { region: ctx.regionCode, year: ctx.fiscalYear, asOf: ctx.asOf, lowest: lowestOf(p) },
    );
    return rows.flatMap((r: Record<string, string>): Finding[] => {
      const verdict = classifyPayee(r.payee_name, r.payee_account);
      if (verdict.kind !== 'person') return [];
      const individual = p.individualClasses.includes(r.econ_code.slice(0, 3));
      const bands: Bands = individual ? p.individualClassBands : p.bands;
      const severity = bandOf(r.amount, bands);
      if (!severity) return [];
      return [{
        subjectType: 'voucher',
        subjectKey: `voucher:${r.voucher_no}`,
        subjectName: `${r.agency_name ?? r.agency_code}支付凭证 ${r.voucher_no}`,
        period: String(ctx.fiscalYear),
        severity,
        measured: {
          amount: r.amount, payee: r.payee_name, payDate: r.pay_date, econCode: r.econ_code, personReason: verdict.reason,
        },
        threshold: { ...bands, basis: individual ? '工资福利、对个人和家庭补助类' : '其他支出' },
        drillLink: {
          route: '/drill',
          query: { region: ctx.regionCode, dept: r.dept_code, unit: r.agency_code, voucher: r.voucher_no },
        },
      }];
    });
  },
  explain(f) {
    const m = f.measured;
    return `${f.subjectName}于 ${m.payDate} 向个人「${m.payee}」支付 ${yuan(m.amount)} 元（经济分类 ${m.econCode}，${m.personReason}）`;
  },
});
