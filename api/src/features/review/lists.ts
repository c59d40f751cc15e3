import Decimal from 'decimal.js';
import type { Knex } from 'knex';
import type { ReviewList } from './contract.js';
import { findings } from './service.js';

/**
 * 四张清单 of the 仪陇 practice for one document: 项目清单 (the projects under review with their
 * history), 标准清单 (the per-capita standards the draft states in its lines' notes), 问题清单
 * (the findings) and 绩效清单 (performance targets and last year's results, where delivered).
 */
export const LISTS = ['projects', 'standards', 'problems', 'performance'] as const;
export type ListName = (typeof LISTS)[number];

const col = (key: string, header: string, type: 'text' | 'money' | 'percent2dp' | 'int' = 'text') => ({ key, header, type });

export async function reviewList(knex: Knex, list: ListName, regionCode: string, fiscalYear: number, stage: string): Promise<ReviewList> {
  const doc = { region: regionCode, fy: fiscalYear, stage };
  if (list === 'projects') {
    const { rows } = await knex.raw(
      `select d.agency_code, max(a.agency_name) as agency_name, d.project_code, max(d.project_name) as project_name,
              sum(d.amount) as amount, sum(d.prior_budget) as prior_budget, sum(d.prior_actual) as prior_actual,
              (select string_agg(y.fiscal_year || '年 ' || y.total, '；' order by y.fiscal_year)
                 from (select i.fiscal_year, sum(i.amount)::text as total from budget_indicators i
                        where i.region_code = :region and i.project_code = d.project_code and i.fiscal_year < :fy group by i.fiscal_year) y) as history,
              (select count(*)::int from review_findings f where f.region_code = :region and f.fiscal_year = :fy and f.stage = :stage and f.current
                  and f.subject_key = 'project:' || d.agency_code || '|' || d.project_code) as findings
         from budget_drafts d left join agencies a on a.region_code = d.region_code and a.agency_code = d.agency_code
        where d.region_code = :region and d.fiscal_year = :fy and d.stage = :stage and d.project_code is not null and d.direction = '支出'
        group by d.agency_code, d.project_code order by sum(d.amount) desc`,
      doc,
    );
    return {
      title: '项目清单', note: '草案中的项目及其上年预算、执行和历年指标（元）',
      columns: [col('agencyName', '单位'), col('projectCode', '项目编码'), col('projectName', '项目名称'), col('amount', '本年安排', 'money'), col('priorBudget', '上年预算', 'money'),
        col('priorActual', '上年执行', 'money'), col('executionPercent', '上年执行率%', 'percent2dp'), col('history', '历年指标'), col('findings', '审查发现', 'int')],
      rows: rows.map((r: Record<string, string | null>) => ({
        agencyName: r.agency_name ?? r.agency_code, projectCode: r.project_code, projectName: r.project_name, amount: r.amount, priorBudget: r.prior_budget, priorActual: r.prior_actual,
        executionPercent: r.prior_budget && r.prior_actual && !new Decimal(r.prior_budget).isZero()
          ? new Decimal(r.prior_actual).times(100).div(r.prior_budget).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2) : null,
        history: r.history, findings: String(r.findings),
      })),
    };
  }
  if (list === 'standards') {
    const { rows } = await knex.raw(
      `select d.line_no, a.agency_name, d.agency_code, d.func_code, d.econ_code, d.amount, d.note
         from budget_drafts d left join agencies a on a.region_code = d.region_code and a.agency_code = d.agency_code
        where d.region_code = :region and d.fiscal_year = :fy and d.stage = :stage and d.note like '%元/%人%'
        order by d.line_no`,
      doc,
    );
    return {
      title: '标准清单', note: rows.length ? '草案说明中写明的定额标准' : '本文件的说明中没有写明定额标准',
      columns: [col('lineNo', '行号'), col('agencyName', '单位'), col('funcCode', '功能科目'), col('econCode', '经济科目'), col('amount', '金额', 'money'), col('note', '标准（说明）')],
      rows: rows.map((r: Record<string, string | null>) => ({ lineNo: r.line_no, agencyName: r.agency_name ?? r.agency_code, funcCode: r.func_code, econCode: r.econ_code, amount: r.amount, note: r.note })),
    };
  }
  if (list === 'problems') {
    const f = await findings(knex, [regionCode], { fy: fiscalYear, stage: stage as never });
    return {
      title: '问题清单', note: '审查发现及处理情况',
      columns: [col('checkId', '审查项'), col('checkName', '名称'), col('category', '类别'), col('severity', '程度'), col('explanation', '说明'), col('basis', '依据'), col('decision', '处理'), col('decisionNote', '处理说明')],
      rows: f.map((x) => ({
        checkId: x.checkId, checkName: x.checkName, category: x.category, severity: { issue: '问题', attention: '关注', note: '提示' }[x.severity], explanation: x.explanation, basis: x.basis,
        decision: x.decision === 'accepted' ? '写入意见' : x.decision === 'rejected' ? '不采纳' : '待定', decisionNote: x.decisionNote,
      })),
    };
  }
  const { rows: [{ present }] } = await knex.raw(`select to_regclass('performance_targets') is not null as present`);
  const columns = [col('projectCode', '项目/指标'), col('year', '年度'), col('level1', '一级指标'), col('targetName', '绩效指标'), col('direction', '方向'), col('targetValue', '目标值'), col('actualValue', '完成值'), col('selfScore', '自评得分')];
  if (!present) return { title: '绩效清单', note: '尚未接入绩效目标数据（performance_targets）', columns, rows: [] };
  const { rows } = await knex.raw(
    `select coalesce(i.project_code, t.indicator_no) as project_code, t.fiscal_year, t.level1, t.target_name, t.direction, t.target_value, t.unit, t.actual_value, t.self_score::text as self_score
       from performance_targets t left join budget_indicators i on i.region_code = t.region_code and i.indicator_no = t.indicator_no
      where t.region_code = :region and t.fiscal_year in (:fy, :fy - 1)
        and coalesce(i.project_code, t.indicator_no) in (select project_code from budget_drafts where region_code = :region and fiscal_year = :fy and stage = :stage and project_code is not null)
      order by 1, 2 desc, t.target_name`,
    doc,
  );
  return {
    title: '绩效清单', note: rows.length ? '草案项目的绩效目标与上年完成情况' : '草案项目没有报送绩效目标', columns,
    rows: rows.map((r: Record<string, string | number | null>) => ({
      projectCode: String(r.project_code), year: String(r.fiscal_year), level1: r.level1 as string, targetName: r.target_name as string, direction: r.direction as string,
      targetValue: `${r.target_value}${r.unit ?? ''}`, actualValue: r.actual_value === null ? null : `${r.actual_value}${r.unit ?? ''}`, selfScore: r.self_score as string | null,
    })),
  };
}
