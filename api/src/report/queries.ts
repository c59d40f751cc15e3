import type { Knex } from 'knex';
import { toRegionId } from '../contract/common.js';

// The report's own SQL, for what the drill-down, debt, asset and audit modules do not already
// answer. Queries take the region scope (the report's region) and the as-of date; amounts
// come back as numeric decimal strings.

export interface RegionRow {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
  parent_code: string | null;
}

export async function findRegion(knex: Knex, code: string): Promise<RegionRow | undefined> {
  return knex('regions').where({ code }).first('code', 'name', 'level', 'parent_code');
}

/** Names of the regions in scope (for rows of a region other than the report's own). */
export async function regionNames(knex: Knex, codes: string[]): Promise<Map<string, string>> {
  const rows: { code: string; name: string }[] = await knex('regions').whereIn('code', codes).select('code', 'name');
  return new Map(rows.map((r) => [r.code, r.name]));
}

/**
 * The committed batches whose rows the report reads: every batch that delivered a row of
 * the fiscal year (or the reference feeds) for a region in scope, up to the as-of date — each
 * named by region and id (`411100-42`), as batches are keyed (a 全辖 report reads several regions').
 */
export async function sourceBatchIds(knex: Knex, regions: string[], year: number, asOf: string): Promise<string[]> {
  const { rows } = await knex.raw<{ rows: { region_code: string; batch_id: string }[] }>(
    `select region_code, batch_id from (
       select distinct region_code, batch_id from payment_vouchers
        where region_code = any(:regions) and fiscal_year in (:year, :year - 1) and pay_date <= :asOf
       union select distinct region_code, batch_id from budget_indicators
        where region_code = any(:regions) and fiscal_year = :year and issued_on <= :asOf
       union select distinct region_code, batch_id from revenues where region_code = any(:regions) and fiscal_year in (:year, :year - 1)
       union select distinct region_code, batch_id from agencies where region_code = any(:regions)
       union select distinct region_code, batch_id from debt_limits where region_code = any(:regions) and fiscal_year <= :year
       union select distinct region_code, batch_id from debt_bonds where region_code = any(:regions)
       union select distinct region_code, batch_id from debt_repayments where region_code = any(:regions)
       union select distinct region_code, batch_id from state_asset_reports where region_code = any(:regions) and report_year <= :year
       union select distinct region_code, batch_id from asset_cards where region_code = any(:regions)
       union select distinct region_code, batch_id from audit_findings where region_code = any(:regions)
     ) b order by region_code, batch_id::bigint`,
    { regions, year, asOf },
  );
  return rows.map((r) => toRegionId(r.region_code, r.batch_id));
}

export interface RevenueClassRow {
  fiscal_year: number;
  budget_type: string;
  class_code: string;
  class_name: string | null;
  amount: string;
  /** Sum of each line's annual budget as delivered with its latest month (budget_amount repeats monthly). */
  budget: string;
}

/**
 * Revenue by main class (类: the first three digits of the revenue code), months 1..month
 * of this year and the same months of last year. Lines are summed as delivered, with the
 * same budget convention as the drill-down summary, so the classes add up to its totals.
 */
export async function revenueByClass(knex: Knex, regionCodes: string[], year: number, throughMonth: number): Promise<RevenueClassRow[]> {
  const { rows } = await knex.raw<{ rows: RevenueClassRow[] }>(
    `with r as (
       select region_code, fiscal_year::int as fiscal_year, month, budget_type, revenue_code, budget_amount, amount
         from revenues
        where region_code = any(:regions) and fiscal_year in (:year, :lastYear) and month <= :month
     ),
     latest as (
       select distinct on (region_code, fiscal_year, budget_type, revenue_code) fiscal_year, budget_type, revenue_code, coalesce(budget_amount, 0) as budget_amount
         from r order by region_code, fiscal_year, budget_type, revenue_code, month desc
     ),
     amounts as (
       select fiscal_year, budget_type, left(revenue_code, 3) as class_code, sum(amount) as amount from r group by 1, 2, 3
     ),
     budgets as (
       select fiscal_year, budget_type, left(revenue_code, 3) as class_code, sum(budget_amount) as budget from latest group by 1, 2, 3
     )
     select a.fiscal_year, a.budget_type, a.class_code, rc.name as class_name, a.amount::numeric(18,2) as amount,
            coalesce(b.budget, 0)::numeric(18,2) as budget
       from amounts a
       left join budgets b using (fiscal_year, budget_type, class_code)
       left join revenue_classes rc on rc.code = a.class_code
      order by a.fiscal_year, a.budget_type, a.class_code`,
    { regions: regionCodes, year, lastYear: year - 1, month: throughMonth },
  );
  return rows;
}

export interface RepaymentSum {
  count: string;
  principal: string;
  interest: string;
}

/** Repayments due in [from, to] (for "due next quarter"). */
export async function repaymentsDue(knex: Knex, regions: string[], from: string, to: string): Promise<RepaymentSum> {
  const row = await knex('debt_repayments')
    .whereIn('region_code', regions)
    .andWhereBetween('due_date', [from, to])
    .first(knex.raw('count(*)::text as count'), knex.raw('coalesce(sum(principal), 0) as principal'), knex.raw('coalesce(sum(interest), 0) as interest'));
  return row as RepaymentSum;
}

export interface AssetCategoryRow {
  asset_category: string;
  entities: string;
  total_assets: string;
  total_liabilities: string;
  report_year: number;
}

/** State-asset reports of the latest report year not after the report's year, by category. */
export async function assetCategories(knex: Knex, regions: string[], year: number): Promise<AssetCategoryRow[]> {
  const { rows } = await knex.raw<{ rows: AssetCategoryRow[] }>(
    `with y as (select max(report_year) as y from state_asset_reports where region_code = any(:regions) and report_year <= :year)
     select asset_category, count(*)::text as entities, sum(total_assets) as total_assets,
            sum(total_liabilities) as total_liabilities, max(report_year)::int as report_year
       from state_asset_reports, y
      where region_code = any(:regions) and report_year = y.y
      group by asset_category order by asset_category`,
    { regions, year },
  );
  return rows;
}

export interface EnterpriseRow {
  entity_name: string;
  industry: string | null;
  total_assets: string;
  total_liabilities: string;
}

/** Enterprises of that year with the highest liability ratios. */
export async function highestLeveragedEnterprises(knex: Knex, regions: string[], year: number, limit: number): Promise<EnterpriseRow[]> {
  const { rows } = await knex.raw<{ rows: EnterpriseRow[] }>(
    `with y as (select max(report_year) as y from state_asset_reports where region_code = any(:regions) and report_year <= :year)
     select entity_name, industry, total_assets, total_liabilities
       from state_asset_reports, y
      where region_code = any(:regions) and report_year = y.y and asset_category in ('企业', '金融企业') and total_assets > 0
      order by total_liabilities / total_assets desc, entity_code
      limit :limit`,
    { regions, year, limit },
  );
  return rows;
}

export interface IdleAssets {
  count: string;
  original_value: string;
  over_year: string;
  over_two_years: string;
}

/** Asset cards idle (闲置) at the as-of date, and how many for a year or two. */
export async function idleAssets(knex: Knex, regions: string[], asOf: string): Promise<IdleAssets> {
  const { rows } = await knex.raw<{ rows: IdleAssets[] }>(
    `select count(*)::text as count, coalesce(sum(original_value), 0) as original_value,
            count(*) filter (where :asOf::date - status_since >= 365)::text as over_year,
            count(*) filter (where :asOf::date - status_since >= 730)::text as over_two_years
       from asset_cards
      where region_code = any(:regions) and status = '闲置' and status_since <= :asOf`,
    { regions, asOf },
  );
  return rows[0]!;
}

export interface AuditStatusRow {
  status: string;
  findings: string;
  amount_involved: string;
  rectified_amount: string;
  overdue: string;
}

/** Audit findings by rectification status; overdue = deadline passed and not 已整改. */
export async function auditByStatus(knex: Knex, regions: string[], asOf: string): Promise<AuditStatusRow[]> {
  const { rows } = await knex.raw<{ rows: AuditStatusRow[] }>(
    `select status, count(*)::text as findings, coalesce(sum(amount_involved), 0) as amount_involved,
            coalesce(sum(rectified_amount), 0) as rectified_amount,
            count(*) filter (where rectify_deadline < :asOf and status <> '已整改')::text as overdue
       from audit_findings
      where region_code = any(:regions)
      group by status order by status`,
    { regions, asOf },
  );
  return rows;
}

export interface OverdueFindingRow {
  finding_no: string;
  agency_name: string | null;
  category: string;
  description: string;
  rectify_deadline: string;
  status: string;
  days_overdue: number;
}

export async function overdueFindings(knex: Knex, regions: string[], asOf: string, limit: number): Promise<OverdueFindingRow[]> {
  const { rows } = await knex.raw<{ rows: OverdueFindingRow[] }>(
    `select f.finding_no, a.agency_name, f.category, f.description, f.rectify_deadline, f.status,
            (:asOf::date - f.rectify_deadline)::int as days_overdue
       from audit_findings f
       left join agencies a on a.region_code = f.region_code and a.agency_code = f.agency_code
      where f.region_code = any(:regions) and f.rectify_deadline < :asOf and f.status <> '已整改'
      order by f.rectify_deadline, f.finding_no
      limit :limit`,
    { regions, asOf, limit },
  );
  return rows;
}

export interface RedAlertRow {
  id: string;
  rule_id: string;
  region_code: string;
  subject_name: string | null;
  period: string;
  status: string;
  explanation: string;
}

