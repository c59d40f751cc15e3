import Decimal from 'decimal.js';
import { z } from 'zod';
import { yuan } from '../rules/define-rule.js';
import { defineCheck, docBindings, lineList, reviewSeveritySchema } from './define-check.js';
import { LINE_IDENTITY } from './line-identity.js';

const paramsSchema = z.strictObject({
  /** A line's note containing this word labels its change as a budget adjustment. */
  label: z.string().min(1, '不能为空'),
  changeSeverity: reviewSeveritySchema,
  unlabelledIncreaseSeverity: reviewSeveritySchema,
});

/**
 * D14 预算调整: the adjustment draft (调整) against the approved budget of the year (批准, or the
 * draft when none was delivered), line by line: every line that changes (提示), an increase
 * whose note does not label it an adjustment (问题), and the total change with the 预算法第六十七条
 * cases that need the standing committee's approval — more total spending, use of the reserve
 * (227 down), more debt (105 revenue up) — read from the total budget's lines (department lines
 * where the document has none).
 */
export default defineCheck<z.infer<typeof paramsSchema>>({
  id: 'D14',
  nameZh: '预算调整方案',
  category: '合法性',
  basis: '《预算法》第六十七条至第六十九条',
  stages: ['调整'],
  defaults: { label: '调整', changeSeverity: 'note', unlabelledIncreaseSeverity: 'issue' },
  paramsSchema,
  async evaluate(knex, ctx) {
    const { rows: [baseRow] } = await knex.raw(
      `select stage from budget_drafts where region_code = :region and fiscal_year = :fy and stage in ('批准', '草案')
        group by stage order by stage = '批准' desc limit 1`,
      docBindings(ctx),
    );
    if (!baseRow) return [];
    const { rows } = await knex.raw(
      `with adj as (
         select ${LINE_IDENTITY} as ident, min(d.line_no) as first_line, array_agg(d.line_no) as lines, sum(d.amount) as amount,
                string_agg(d.note, '；') filter (where coalesce(d.note, '') <> '') as note,
                max(d.agency_code) as agency_code, bool_and(d.agency_code is null) as is_total, max(d.direction) as direction,
                max(coalesce(d.func_code, '')) as func_code, max(coalesce(d.revenue_code, '')) as revenue_code, max(coalesce(d.project_name, '')) as project_name
           from budget_drafts d where d.region_code = :region and d.fiscal_year = :fy and d.stage = '调整' group by 1
       ), base as (
         select ${LINE_IDENTITY} as ident, min(d.line_no) as first_line, sum(d.amount) as amount,
                max(d.agency_code) as agency_code, bool_and(d.agency_code is null) as is_total, max(d.direction) as direction,
                max(coalesce(d.func_code, '')) as func_code, max(coalesce(d.revenue_code, '')) as revenue_code, max(coalesce(d.project_name, '')) as project_name
           from budget_drafts d where d.region_code = :region and d.fiscal_year = :fy and d.stage = :base group by 1
       )
       select coalesce(adj.first_line, 'base:' || base.first_line) as subject_line, coalesce(adj.lines, '{}') as lines,
              coalesce(base.amount, 0) as before, coalesce(adj.amount, 0) as after, adj.note,
              coalesce(adj.agency_code, base.agency_code) as agency_code, coalesce(adj.is_total, base.is_total) as is_total,
              coalesce(adj.direction, base.direction) as direction, coalesce(adj.func_code, base.func_code) as func_code,
              coalesce(adj.revenue_code, base.revenue_code) as revenue_code, coalesce(nullif(adj.project_name, ''), base.project_name) as project_name,
              a.agency_name
         from adj full join base using (ident)
         left join agencies a on a.region_code = :region and a.agency_code = coalesce(adj.agency_code, base.agency_code)
        where coalesce(adj.amount, 0) <> coalesce(base.amount, 0)
        order by 1`,
      { ...docBindings(ctx), base: baseRow.stage },
    );
    const p = ctx.params;
    const findings = rows.map((r: Record<string, string | null> & { lines: string[]; is_total: boolean }) => {
      const change = new Decimal(r.after!).minus(r.before!);
      const labelled = (r.note ?? '').includes(p.label);
      const code = r.func_code || r.revenue_code;
      return {
        subjectKey: `line:${r.subject_line}`,
        subjectName: `${r.agency_name ?? (r.is_total ? '总预算' : '')}${r.project_name ? `「${r.project_name}」` : ''}${code ? ` ${code}` : ''}`.trim(),
        lineNos: lineList(r.lines), severity: change.gt(0) && !labelled ? p.unlabelledIncreaseSeverity : p.changeSeverity, agencyCode: r.agency_code ?? null,
        figures: { before: new Decimal(r.before!).toFixed(2), after: new Decimal(r.after!).toFixed(2), change: change.toFixed(2), labelled: String(labelled), direction: r.direction!, note: r.note ?? '' },
        scope: r.is_total ? 'total' : 'department', func: r.func_code ?? '', revenue: r.revenue_code ?? '',
      };
    });
    if (findings.length === 0) return [];
    // The total change, from the total budget's lines (or the departments' where there are none).
    const scope = findings.some((f: { scope: string }) => f.scope === 'total') ? 'total' : 'department';
    const inScope = findings.filter((f: { scope: string }) => f.scope === scope);
    const sum = (pred: (f: (typeof inScope)[number]) => boolean) => inScope.filter(pred).reduce((s: Decimal, f: (typeof inScope)[number]) => s.plus(f.figures.change), new Decimal(0));
    const spending = sum((f) => f.figures.direction === '支出');
    const revenue = sum((f) => f.figures.direction === '收入');
    const reserve = sum((f) => f.func.startsWith('227'));
    const debt = sum((f) => f.revenue.startsWith('105'));
    const cases = [spending.gt(0) ? '总支出增加' : '', reserve.lt(0) ? '动用预备费' : '', debt.gt(0) ? '举借债务增加' : ''].filter(Boolean);
    const total = {
      subjectKey: 'total', subjectName: '调整方案合计', lineNos: [], severity: p.changeSeverity, agencyCode: null,
      figures: {
        changedLines: String(findings.length), spendingChange: spending.toFixed(2), revenueChange: revenue.toFixed(2), reserveChange: reserve.toFixed(2),
        debtChange: debt.toFixed(2), needsApproval: String(cases.length > 0), cases: cases.join('、'),
      },
    };
    return [...findings.map(({ scope: _s, func: _f, revenue: _r, ...f }: (typeof findings)[number]) => f), total];
  },
  explain(f) {
    const m = f.figures;
    if (f.subjectKey === 'total') {
      const approval = m.needsApproval === 'true' ? `属于预算法第六十七条规定的情形（${m.cases}），应当报人大常委会审查批准` : '不属于预算法第六十七条须报批的情形';
      return `调整方案共调整 ${m.changedLines} 行，支出变动 ${yuan(m.spendingChange)} 元、收入变动 ${yuan(m.revenueChange)} 元，${approval}`;
    }
    const dir = new Decimal(m.change).gt(0) ? '增加' : '减少';
    const label = new Decimal(m.change).gt(0) && m.labelled !== 'true' ? '，增加的金额未标明为预算调整' : '';
    return `${f.subjectName || `第 ${f.lineNos[0]} 行`}由 ${yuan(m.before)} 元调整为 ${yuan(m.after)} 元，${dir} ${yuan(new Decimal(m.change).abs().toFixed(2))} 元${label}（预算法第六十七条至第六十九条）`;
  },
});
