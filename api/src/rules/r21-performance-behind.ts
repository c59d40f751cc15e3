import Decimal from 'decimal.js';
import { z } from 'zod';
import {
  bandOf, bandsSchema, coversFiscalYear, defineRule, exact, lowestBand, monthDay, nonNegativeDecimal, pct2, pctSql, severitySchema, yuan,
  type Finding,
} from './define-rule.js';

const paramsSchema = z.strictObject({
  /** Execution rate − share of quantitative 产出 targets on track, in percentage points. */
  bands: bandsSchema(['yellow', 'orange', 'red'] as const),
  /** The gap is judged from this day of the fiscal year (MM-DD): targets report mid-year. */
  from: monthDay,
  /** A project indicator of at least this amount must have performance targets. */
  minProjectIndicator: nonNegativeDecimal,
  /** Severity of a project without any target. */
  noTargetSeverity: severitySchema,
});
type Params = z.infer<typeof paramsSchema>;

/**
 * R21 绩效目标完成滞后 ("双监控", 花钱必问效), per project indicator of the fiscal year:
 * - the gap: execution rate (paid / the indicator's amount) − the share of its quantitative
 *   产出 targets with direction ≥ that are on track (actual ÷ target ≥ time progress; a target
 *   without an actual is not on track), from 1 July; a project whose targets include no such
 *   target is not measured (D08 of the budget review names qualitative-only targets);
 * - no target at all: a project indicator (project_code set) of ≥ 500,000 yuan, of kind
 *   年初预算 / 追加 / 上级转移支付, with no target naming its indicator_no or its project_code.
 *   结转 is left out: its targets were set in the year it was first budgeted, under the old number.
 */
export default defineRule<Params>({
  id: 'R21',
  nameZh: '绩效目标完成滞后',
  subject: '项目指标（绩效目标）',
  defaults: { bands: { yellow: '20', orange: '40' }, from: '07-01', minProjectIndicator: '500000', noTargetSeverity: 'orange' },
  paramsSchema,
  covers: coversFiscalYear,
  async evaluate(knex, ctx) {
    const p = ctx.params;
    const judgeGap = ctx.asOf >= `${ctx.fiscalYear}-${p.from}`;
    const { rows } = await knex.raw(
      `with ind as (
         select i.indicator_no, i.project_code, i.project_name, i.dept_code, i.agency_code, i.amount, i.indicator_kind
           from budget_indicators i
          where i.region_code = :region and i.fiscal_year = :year and i.issued_on <= :asOf
            and coalesce(i.project_code, '') <> '' and i.amount > 0
       ),
       -- Values are text (定性 targets are words): cast only the quantitative 产出 ≥ ones.
       q as (
         select i.indicator_no, t.target_no,
                case when t.level1 = '产出' and t.direction = '≥' then t.target_value::numeric end as target,
                case when t.level1 = '产出' and t.direction = '≥' and t.actual_as_of <= :asOf then t.actual_value::numeric end as actual
           from ind i
           join performance_targets t on t.region_code = :region and t.fiscal_year = :year
                                     and t.indicator_no in (i.indicator_no, i.project_code)
       ),
       tgt as (
         select indicator_no, count(*)::int as targets,
                count(*) filter (where target > 0)::int as measured,
                count(*) filter (where target > 0 and actual * :total >= target * :elapsed)::int as on_track
           from q group by indicator_no
       ),
       pay as (
         select indicator_no, sum(amount) as paid from ${ctx.facts} where fiscal_year = :year and indicator_no is not null group by indicator_no
       )
       select i.*, coalesce(t.targets, 0) as targets, coalesce(t.measured, 0) as measured, coalesce(t.on_track, 0) as on_track,
              coalesce(p.paid, 0) as paid, ${pctSql('coalesce(p.paid, 0)', 'i.amount')} as rate,
              case when t.measured > 0 then ${pctSql('t.on_track', 't.measured')} end as share,
              ${pctSql(':elapsed::numeric', ':total::numeric')} as progress, a.agency_name
         from ind i
         left join tgt t using (indicator_no)
         left join pay p using (indicator_no)
         left join agencies a on a.region_code = :region and a.agency_code = i.agency_code
        where (t.targets is null and i.amount >= :minProject and i.indicator_kind in ('年初预算', '追加', '上级转移支付'))
           or (:judgeGap and t.measured > 0 and ${pctSql('coalesce(p.paid, 0)', 'i.amount')} - ${pctSql('t.on_track', 't.measured')} >= :lowest)
        order by i.indicator_no`,
      {
        region: ctx.regionCode, year: ctx.fiscalYear, asOf: ctx.asOf, elapsed: ctx.timeProgress.elapsed, total: ctx.timeProgress.total,
        minProject: p.minProjectIndicator, judgeGap, lowest: lowestBand(p.bands),
      },
    );
    return rows.flatMap((r: Record<string, string | number | null>): Finding[] => {
      const base = {
        subjectType: 'indicator',
        subjectKey: `indicator:${r.indicator_no}`,
        subjectName: `${r.agency_name ?? r.agency_code}「${r.project_name ?? r.project_code}」（${r.indicator_no}）`,
        period: String(ctx.fiscalYear),
        drillLink: { route: '/performance', query: { region: ctx.regionCode, indicator: String(r.indicator_no), year: String(ctx.fiscalYear) } },
      };
      if (Number(r.targets) === 0) {
        return [{
          ...base, severity: p.noTargetSeverity,
          measured: { amount: String(r.amount), targets: '0' },
          threshold: { minProjectIndicator: p.minProjectIndicator },
        }];
      }
      const g = new Decimal(String(r.rate)).minus(String(r.share)).toFixed();
      const severity = bandOf(g, p.bands);
      if (!severity) return [];
      return [{
        ...base, severity,
        measured: {
          amount: String(r.amount), paid: String(r.paid), executionRate: exact(String(r.rate)), onTrackShare: exact(String(r.share)),
          onTrack: String(r.on_track), measuredTargets: String(r.measured), targets: String(r.targets), timeProgress: exact(String(r.progress)), gap: g,
        },
        threshold: { ...p.bands, convention: ctx.timeProgress.convention },
      }];
    });
  },
  explain(f) {
    const m = f.measured;
    if (m.targets === '0') return `${f.subjectName}金额 ${yuan(m.amount)} 元，未设定绩效目标`;
    return `${f.subjectName}支出进度 ${pct2(m.executionRate)}%，产出指标按时序达标 ${m.onTrack}/${m.measuredTargets} 项（${pct2(m.onTrackShare)}%），绩效落后支出 ${pct2(m.gap)} 个百分点`;
  },
});
