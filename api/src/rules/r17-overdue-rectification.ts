import Decimal from 'decimal.js';
import { z } from 'zod';
import { coversAll, defineRule, nonNegativeDecimal, severitySchema, type Finding } from './define-rule.js';

const paramsSchema = z.strictObject({
  severity: severitySchema,
  /** At or beyond this many days overdue the severity rises. */
  seriousAfterDays: nonNegativeDecimal,
  seriousSeverity: severitySchema,
});
type Params = z.infer<typeof paramsSchema>;

/** R17 审计整改逾期: an audit finding past its rectification deadline whose status is not 已整改. */
export default defineRule<Params>({
  id: 'R17',
  nameZh: '审计整改逾期',
  subject: '审计查出问题',
  defaults: { severity: 'orange', seriousAfterDays: '90', seriousSeverity: 'red' },
  paramsSchema,
  covers: coversAll,
  async evaluate(knex, ctx) {
    const p = ctx.params;
    const { rows } = await knex.raw(
      `select f.finding_no, f.audit_year, f.agency_code, f.category, f.description, f.status, f.rectify_deadline,
              (:asOf::date - f.rectify_deadline) as overdue_days, a.agency_name, a.parent_code
         from audit_findings f
         left join agencies a on a.region_code = f.region_code and a.agency_code = f.agency_code
        where f.region_code = :region and f.rectify_deadline < :asOf and f.status <> '已整改'
        order by f.finding_no`,
      { region: ctx.regionCode, asOf: ctx.asOf },
    );
    return rows.map((r: Record<string, string | number>): Finding => ({
      subjectType: 'finding',
      subjectKey: `finding:${r.finding_no}`,
      subjectName: `${r.agency_name ?? r.agency_code}审计问题 ${r.finding_no}（${r.category}）`,
      period: String(r.audit_year),
      severity: new Decimal(r.overdue_days).gte(p.seriousAfterDays) ? p.seriousSeverity : p.severity,
      measured: { deadline: String(r.rectify_deadline), overdueDays: String(r.overdue_days), status: String(r.status) },
      threshold: { seriousAfterDays: p.seriousAfterDays },
      drillLink: { route: '/audit', query: { region: ctx.regionCode, finding: String(r.finding_no) } },
    }));
  },
  explain(f) {
    const m = f.measured;
    return `${f.subjectName}整改期限 ${m.deadline}，已逾期 ${m.overdueDays} 天，状态为${m.status}`;
  },
});
