import Decimal from 'decimal.js';
import type { Knex } from 'knex';
import { toRegionId } from '../../contract/common.js';
import { pctSql } from '../../rules/define-rule.js';
import type { KeyAlert, PerformanceProject, PerformanceTarget, Transfer, TransferGroup } from './contract.js';

/**
 * Reads of the 重点监督 pages. Percentages are exact decimal strings computed in SQL (as the
 * rules compute them), so the page shows what R21 and R23 measured.
 */

export interface Scope {
  /** The region asked for: its time-progress convention is used. */
  region: string;
  /** The regions read: the region alone (本级) or with every region under it (全辖). */
  regions: string[];
  year: number;
  asOf: string;
  /** Time progress as elapsed / total (the region's convention). */
  elapsed: number;
  total: number;
}

const n = (v: unknown) => Number(v ?? 0);
const s = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** Every project indicator of the year with its targets summed up as R21 measures them. */
export async function performanceProjects(knex: Knex, sc: Scope, indicator?: string): Promise<PerformanceProject[]> {
  const { rows } = await knex.raw(
    `with ind as (
       select i.region_code, i.indicator_no, i.project_code, i.project_name, i.dept_code, i.agency_code, i.indicator_kind, i.amount
         from budget_indicators i
        where i.region_code = any(:regions) and i.fiscal_year = :year and i.issued_on <= :asOf
          and coalesce(i.project_code, '') <> '' and i.amount > 0 ${indicator ? 'and i.indicator_no = :indicator' : ''}
     ),
     q as (
       select i.region_code, i.indicator_no,
              case when t.level1 = '产出' and t.direction = '≥' then t.target_value::numeric end as target,
              case when t.level1 = '产出' and t.direction = '≥' and t.actual_as_of <= :asOf then t.actual_value::numeric end as actual
         from ind i
         join performance_targets t on t.region_code = i.region_code and t.fiscal_year = :year and t.indicator_no in (i.indicator_no, i.project_code)
     ),
     tgt as (
       select region_code, indicator_no, count(*)::int as targets, count(*) filter (where target > 0)::int as measured,
              count(*) filter (where target > 0 and actual * :total >= target * :elapsed)::int as on_track
         from q group by region_code, indicator_no
     ),
     pay as (
       select v.region_code, v.indicator_no, sum(v.amount) as paid from payment_vouchers v
        where v.region_code = any(:regions) and v.fiscal_year = :year and v.pay_date <= :asOf
          and (v.region_code, v.indicator_no) in (select region_code, indicator_no from ind)
        group by v.region_code, v.indicator_no
     )
     select i.*, a.agency_name, coalesce(p.paid, 0) as paid, ${pctSql('coalesce(p.paid, 0)', 'i.amount')} as rate,
            coalesce(t.targets, 0) as targets, coalesce(t.measured, 0) as measured, coalesce(t.on_track, 0) as on_track,
            case when t.measured > 0 then ${pctSql('t.on_track', 't.measured')} end as share
       from ind i
       left join tgt t using (region_code, indicator_no)
       left join pay p using (region_code, indicator_no)
       left join agencies a on a.region_code = i.region_code and a.agency_code = i.agency_code
      order by i.region_code, i.indicator_no`,
    { regions: sc.regions, year: sc.year, asOf: sc.asOf, elapsed: sc.elapsed, total: sc.total, indicator: indicator ?? null },
  );
  return rows.map((r: Record<string, unknown>): PerformanceProject => {
    const rate = new Decimal(String(r.rate));
    return {
      regionCode: String(r.region_code), indicatorNo: String(r.indicator_no), projectCode: s(r.project_code), projectName: s(r.project_name), deptCode: String(r.dept_code),
      agencyCode: String(r.agency_code), agencyName: s(r.agency_name), kind: String(r.indicator_kind), amount: String(r.amount), paid: String(r.paid),
      executionRate: rate.toFixed(), targets: n(r.targets), measuredTargets: n(r.measured), onTrack: n(r.on_track),
      onTrackShare: r.share === null ? null : new Decimal(String(r.share)).toFixed(),
      gap: r.share === null ? null : rate.minus(String(r.share)).toFixed(),
    };
  });
}

/** Cumulative monthly payments of one indicator in its fiscal year, up to the as-of date. */
export async function spendingCurve(knex: Knex, sc: Scope, indicatorNo: string, amount: string) {
  const { rows } = await knex.raw(
    `select extract(month from pay_date)::int as month, sum(amount) as paid
       from payment_vouchers where region_code = ? and fiscal_year = ? and pay_date <= ? and indicator_no = ?
      group by 1 order by 1`,
    [sc.region, sc.year, sc.asOf, indicatorNo],
  );
  const byMonth = new Map(rows.map((r: { month: number; paid: string }) => [r.month, r.paid]));
  const last = Number(sc.asOf.slice(5, 7));
  let cum = new Decimal(0);
  const out = [];
  for (let m = 1; m <= last; m++) {
    const paid = new Decimal(String(byMonth.get(m) ?? 0));
    cum = cum.plus(paid);
    out.push({ month: m, paid: paid.toFixed(2), cumulative: cum.toFixed(2), rate: new Decimal(amount).isZero() ? '0' : cum.times(100).div(amount).toFixed(4) });
  }
  return out;
}

export async function projectTargets(knex: Knex, sc: Scope, indicatorNo: string, projectCode: string | null): Promise<PerformanceTarget[]> {
  const rows = await knex('performance_targets')
    .where({ region_code: sc.region, fiscal_year: sc.year })
    .whereIn('indicator_no', projectCode ? [indicatorNo, projectCode] : [indicatorNo])
    .orderBy(['level1', 'target_no']);
  const progress = new Decimal(sc.elapsed).times(100).div(sc.total);
  return rows.map((t): PerformanceTarget => {
    const quantitative = t.direction !== '定性' && t.actual_value !== null && new Decimal(t.target_value).gt(0);
    const pct = quantitative ? new Decimal(t.actual_value).times(100).div(t.target_value) : null;
    return {
      targetNo: t.target_no, level1: t.level1, level2: t.level2, name: t.target_name, direction: t.direction, targetValue: t.target_value,
      unit: t.unit, actualValue: t.actual_value, actualAsOf: t.actual_as_of, progress: pct ? pct.toFixed(2) : null,
      onTrack: t.direction === '≥' ? (pct ? pct.gte(progress) : false) : null, selfScore: t.self_score,
    };
  });
}

/** Open alerts of these subjects in these regions (a subject key is unique within one region only). */
export async function alertsFor(knex: Knex, regions: string[], subjectKeys: string[], rules?: string[]): Promise<(KeyAlert & { regionCode: string; subjectKey: string })[]> {
  if (subjectKeys.length === 0) return [];
  const q = knex('alerts').whereIn('region_code', regions).whereNull('closed_at').whereIn('subject_key', subjectKeys);
  if (rules) q.whereIn('rule_id', rules);
  const rows = await q.orderBy(['rule_id', 'id']);
  return rows.map((a) => ({
    id: toRegionId(a.region_code, a.id), ruleId: a.rule_id, severity: a.severity, explanation: a.explanation, period: a.period, regionCode: a.region_code, subjectKey: a.subject_key,
  }));
}

/** Transfers of the year with their way: arrival → allocation → indicator → first voucher. */
export async function transfers(knex: Knex, sc: Scope, f: { direction?: string; kind?: string; transfer?: string }): Promise<Omit<Transfer, 'alerts'>[]> {
  const { rows } = await knex.raw(
    `with t as (
       select t.* from transfer_payments t
        where t.region_code = any(:regions) and t.fiscal_year = :year
          and (t.received_on is null or t.received_on <= :asOf)
          and (:direction::text is null or t.direction = :direction) and (:kind::text is null or t.kind = :kind)
          and (:transfer::text is null or t.transfer_no = :transfer)
     ),
     pay as (
       select v.region_code, v.indicator_no, min(v.pay_date) filter (where v.amount > 0) as first_paid, sum(v.amount) as paid
         from payment_vouchers v
        where v.region_code = any(:regions) and v.fiscal_year = :year and v.pay_date <= :asOf
          and (v.region_code, v.indicator_no) in (select region_code, indicator_no from t where indicator_no is not null)
        group by v.region_code, v.indicator_no
     )
     select t.region_code, t.transfer_no, t.fiscal_year, t.direction, t.kind, t.counterpart_region, r.name as counterpart_name, t.func_code, t.title, t.amount,
            t.received_on, case when t.allocated_on <= :asOf then t.allocated_on end as allocated_on,
            i.indicator_no, i.agency_code, i.dept_code, i.amount as available, a.agency_name, p.first_paid, coalesce(p.paid, 0) as paid,
            case when t.received_on is not null
                 then (case when t.allocated_on <= :asOf then t.allocated_on else :asOf::date end) - t.received_on end as days_to_allocate,
            case when t.allocated_on <= :asOf and i.indicator_no is not null
                 then coalesce(p.first_paid, :asOf::date) - t.allocated_on end as days_to_first,
            case when i.amount > 0 then ${pctSql('coalesce(p.paid, 0)', 'i.amount')} end as rate
       from t
       left join regions r on r.code = t.counterpart_region
       left join budget_indicators i on i.region_code = t.region_code and i.indicator_no = t.indicator_no and i.issued_on <= :asOf
       left join agencies a on a.region_code = i.region_code and a.agency_code = i.agency_code
       left join pay p on p.region_code = i.region_code and p.indicator_no = i.indicator_no
      order by t.direction, t.kind, coalesce(t.received_on, t.allocated_on) desc nulls last, t.region_code, t.transfer_no`,
    { regions: sc.regions, year: sc.year, asOf: sc.asOf, direction: f.direction ?? null, kind: f.kind ?? null, transfer: f.transfer ?? null },
  );
  return rows.map((r: Record<string, unknown>) => ({
    regionCode: String(r.region_code), transferNo: String(r.transfer_no), fiscalYear: n(r.fiscal_year), direction: r.direction as Transfer['direction'], kind: String(r.kind),
    counterpartRegion: String(r.counterpart_region), counterpartName: s(r.counterpart_name), funcCode: s(r.func_code), title: String(r.title),
    amount: String(r.amount), receivedOn: s(r.received_on), allocatedOn: s(r.allocated_on), indicatorNo: s(r.indicator_no),
    agencyCode: s(r.agency_code), agencyName: s(r.agency_name), deptCode: s(r.dept_code),
    daysToAllocate: r.days_to_allocate === null ? null : n(r.days_to_allocate), firstPaidOn: s(r.first_paid),
    daysToFirstPayment: r.days_to_first === null ? null : n(r.days_to_first),
    paid: r.indicator_no === null ? null : String(r.paid), executionRate: r.rate === null ? null : new Decimal(String(r.rate)).toFixed(4),
  }));
}

/** Totals by direction × kind, from the same rows the list shows. */
export function groupTransfers(list: Omit<Transfer, 'alerts'>[]): TransferGroup[] {
  const groups = new Map<string, { direction: Transfer['direction']; kind: string; count: number; amount: Decimal; allocated: Decimal; paid: Decimal }>();
  for (const t of list) {
    const k = `${t.direction}|${t.kind}`;
    const g = groups.get(k) ?? { direction: t.direction, kind: t.kind, count: 0, amount: new Decimal(0), allocated: new Decimal(0), paid: new Decimal(0) };
    g.count++;
    g.amount = g.amount.plus(t.amount);
    if (t.allocatedOn) g.allocated = g.allocated.plus(t.amount);
    if (t.paid) g.paid = g.paid.plus(t.paid);
    groups.set(k, g);
  }
  return [...groups.values()].map((g) => ({
    direction: g.direction, kind: g.kind, count: g.count, amount: g.amount.toFixed(2), allocated: g.allocated.toFixed(2),
    notAllocated: g.amount.minus(g.allocated).toFixed(2), paid: g.paid.toFixed(2),
  }));
}
