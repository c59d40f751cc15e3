import type { Knex } from 'knex';

// The report's SQL. Every query takes the region scope (the report's region, or it and the
// regions under it) and the as-of date; amounts come back as numeric decimal strings.

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

/** The latest business date loaded (committed batch) for any region in scope, or undefined. */
export async function latestLoadedDate(knex: Knex, regions: string[], notAfter: string): Promise<string | undefined> {
  const row = await knex('batches')
    .whereIn('region_code', regions)
    .andWhere('status', 'committed')
    .andWhere('business_date', '<=', notAfter)
    .max<{ max: string | null }>('business_date as max')
    .first();
  return row?.max ?? undefined;
}

/**
 * The committed batches whose rows the report reads: every batch that delivered a row of
 * the fiscal year (or the reference feeds) for a region in scope, up to the as-of date.
 */
export async function sourceBatchIds(knex: Knex, regions: string[], year: number, asOf: string): Promise<string[]> {
  const { rows } = await knex.raw<{ rows: { batch_id: string }[] }>(
    `select batch_id from (
       select distinct batch_id from payment_vouchers
        where region_code = any(:regions) and fiscal_year in (:year, :year - 1) and pay_date <= :asOf
       union select distinct batch_id from budget_indicators
        where region_code = any(:regions) and fiscal_year = :year and issued_on <= :asOf
       union select distinct batch_id from revenues where region_code = any(:regions) and fiscal_year in (:year, :year - 1)
       union select distinct batch_id from agencies where region_code = any(:regions)
       union select distinct batch_id from debt_limits where region_code = any(:regions) and fiscal_year <= :year
       union select distinct batch_id from debt_bonds where region_code = any(:regions)
       union select distinct batch_id from debt_repayments where region_code = any(:regions)
       union select distinct batch_id from state_asset_reports where region_code = any(:regions) and report_year <= :year
       union select distinct batch_id from asset_cards where region_code = any(:regions)
       union select distinct batch_id from audit_findings where region_code = any(:regions)
     ) b order by batch_id::bigint`,
    { regions, year, asOf },
  );
  return rows.map((r) => String(r.batch_id));
}

export interface PaidRow {
  fiscal_year: number;
  fund_type: string | null;
  func_class: string | null;
  month: number | null;
  region_code: string | null;
  dept_code: string | null;
  paid: string;
}

/**
 * Vouchers paid up to the as-of date (this year) and up to the same day last year, in one
 * scan, by grouping sets: fund type; function class 类 per fund type; month per fund type
 * (the cumulative curve); department.
 */
export async function paidAggregates(knex: Knex, regions: string[], year: number, asOf: string, lastYearAsOf: string): Promise<PaidRow[]> {
  const { rows } = await knex.raw<{ rows: PaidRow[] }>(
    `select fiscal_year::int as fiscal_year, fund_type, left(func_code, 3) as func_class,
            extract(month from pay_date)::int as month, region_code, dept_code, sum(amount) as paid
       from payment_vouchers
      where region_code = any(:regions)
        and ((fiscal_year = :year and pay_date <= :asOf) or (fiscal_year = :lastYear and pay_date <= :lastYearAsOf))
      group by grouping sets (
        (fiscal_year, fund_type),
        (fiscal_year, fund_type, left(func_code, 3)),
        (fiscal_year, fund_type, extract(month from pay_date)::int),
        (fiscal_year, region_code, dept_code)
      )`,
    { regions, year, asOf, lastYear: year - 1, lastYearAsOf },
  );
  return rows;
}

export interface BudgetRow {
  fund_type: string | null;
  func_class: string | null;
  month: number | null;
  region_code: string | null;
  dept_code: string | null;
  budget: string;
}

/** Available budget (sum of indicators issued up to the as-of date), by the same groupings. */
export async function budgetAggregates(knex: Knex, regions: string[], year: number, asOf: string): Promise<BudgetRow[]> {
  const { rows } = await knex.raw<{ rows: BudgetRow[] }>(
    `select fund_type, left(func_code, 3) as func_class, extract(month from issued_on)::int as month,
            region_code, dept_code, sum(amount) as budget
       from budget_indicators
      where region_code = any(:regions) and fiscal_year = :year and issued_on <= :asOf
      group by grouping sets (
        (fund_type),
        (fund_type, left(func_code, 3)),
        (fund_type, extract(month from issued_on)::int),
        (region_code, dept_code)
      )`,
    { regions, year, asOf },
  );
  return rows;
}

export async function funcClassNames(knex: Knex): Promise<Map<string, string>> {
  const rows: { code: string; name: string }[] = await knex('func_classes').where({ level: 1 }).select('code', 'name');
  return new Map(rows.map((r) => [r.code, r.name]));
}

export async function fundTypeNames(knex: Knex): Promise<Map<string, string>> {
  const rows: { code: string; name: string }[] = await knex('fund_types').select('code', 'name');
  return new Map(rows.map((r) => [r.code, r.name]));
}

export async function departmentNames(knex: Knex, regions: string[]): Promise<Map<string, string>> {
  const rows: { region_code: string; agency_code: string; agency_name: string }[] = await knex('agencies')
    .whereIn('region_code', regions)
    .select('region_code', 'agency_code', 'agency_name');
  return new Map(rows.map((r) => [`${r.region_code}/${r.agency_code}`, r.agency_name]));
}

export interface RevenueRow {
  fiscal_year: number;
  budget_type: string;
  revenue_code: string;
  revenue_name: string | null;
  class_name: string | null;
  amount: string;
  /** The line's annual budget as delivered with its latest month (budget_amount repeats monthly). */
  budget: string | null;
}

/**
 * Revenue lines, months 1..asOfMonth of this year and the same months of last year. Only
 * leaf lines are summed: a delivered parent (101) whose children (10101, …) are delivered
 * too would otherwise count twice.
 */
export async function revenueLines(knex: Knex, regions: string[], year: number, throughMonth: number): Promise<RevenueRow[]> {
  const { rows } = await knex.raw<{ rows: RevenueRow[] }>(
    `with r as (
       select region_code, fiscal_year::int as fiscal_year, month, budget_type, revenue_code, revenue_name, budget_amount, amount
         from revenues
        where region_code = any(:regions) and fiscal_year in (:year, :year - 1) and month <= :month
     ),
     leaf as (
       select * from r
        where not exists (
          select 1 from r c
           where c.region_code = r.region_code and c.fiscal_year = r.fiscal_year and c.budget_type = r.budget_type
             and c.revenue_code <> r.revenue_code and c.revenue_code like r.revenue_code || '%')
     ),
     latest_budget as (
       select distinct on (region_code, fiscal_year, budget_type, revenue_code)
              region_code, fiscal_year, budget_type, revenue_code, budget_amount
         from leaf order by region_code, fiscal_year, budget_type, revenue_code, month desc
     )
     select l.fiscal_year, l.budget_type, l.revenue_code, max(l.revenue_name) as revenue_name,
            max(rc.name) as class_name, sum(l.amount) as amount, sum(b.budget_amount) as budget
       from (select fiscal_year, budget_type, revenue_code, region_code, max(revenue_name) as revenue_name, sum(amount) as amount
               from leaf group by fiscal_year, budget_type, revenue_code, region_code) l
       join latest_budget b using (region_code, fiscal_year, budget_type, revenue_code)
       left join revenue_classes rc on rc.code = left(l.revenue_code, 3)
      group by l.fiscal_year, l.budget_type, l.revenue_code
      order by l.fiscal_year, l.budget_type, l.revenue_code`,
    { regions, year, month: throughMonth },
  );
  return rows;
}

export interface DebtLimitRow {
  general_limit: string;
  special_limit: string;
  general_balance: string;
  special_balance: string;
  fiscal_capacity: string;
  fiscal_year: number | null;
}

/** Limits, balances and fiscal capacity: each region's latest year not after the report's, summed. */
export async function debtLimits(knex: Knex, regions: string[], year: number): Promise<DebtLimitRow | undefined> {
  const { rows } = await knex.raw<{ rows: DebtLimitRow[] }>(
    `select sum(general_limit) as general_limit, sum(special_limit) as special_limit,
            sum(general_balance) as general_balance, sum(special_balance) as special_balance,
            sum(fiscal_capacity) as fiscal_capacity, max(fiscal_year)::int as fiscal_year
       from (select distinct on (region_code) * from debt_limits
              where region_code = any(:regions) and fiscal_year <= :year
              order by region_code, fiscal_year desc) d
     having count(*) > 0`,
    { regions, year },
  );
  return rows[0];
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

/** Repayments due on or before the as-of date and not (fully) paid by then. */
export async function overdueRepayments(knex: Knex, regions: string[], asOf: string): Promise<RepaymentSum> {
  const { rows } = await knex.raw<{ rows: RepaymentSum[] }>(
    `select count(*)::text as count, coalesce(sum(principal), 0) as principal, coalesce(sum(interest), 0) as interest
       from debt_repayments
      where region_code = any(:regions) and due_date < :asOf
        and (paid_on is null or paid_on > :asOf or coalesce(paid_amount, 0) < principal + interest)`,
    { regions, asOf },
  );
  return rows[0]!;
}

export interface MaturityRow {
  year: number;
  bond_type: string;
  amount: string;
}

/** Outstanding bonds (maturing after the as-of date) by maturity year and type: the maturity wall. */
export async function maturityWall(knex: Knex, regions: string[], asOf: string): Promise<MaturityRow[]> {
  const { rows } = await knex.raw<{ rows: MaturityRow[] }>(
    `select extract(year from maturity_date)::int as year, bond_type, sum(amount) as amount
       from debt_bonds
      where region_code = any(:regions) and issue_date <= :asOf and maturity_date > :asOf
      group by 1, 2 order by 1, 2`,
    { regions, asOf },
  );
  return rows;
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

export interface AlertCountRow {
  rule_id: string;
  severity: 'yellow' | 'orange' | 'red';
  alerts: string;
  open: string;
}

/**
 * The quarter's alerts: period is the fiscal year itself, or a quarter, month or day within
 * the quarter. Dismissed alerts (false positives) are left out.
 */
function quarterAlerts(knex: Knex, regions: string[], year: number, q: number, start: string, end: string) {
  return knex('alerts')
    .whereIn('region_code', regions)
    .andWhereNot('status', 'dismissed')
    .andWhere((w) =>
      w
        .where('period', String(year))
        .orWhere('period', `${year}Q${q}`)
        .orWhereBetween('period', [start.slice(0, 7), end.slice(0, 7)])
        .orWhereBetween('period', [start, end]),
    );
}

export async function alertCounts(knex: Knex, regions: string[], year: number, q: number, start: string, end: string): Promise<AlertCountRow[]> {
  return quarterAlerts(knex, regions, year, q, start, end)
    .groupBy('rule_id', 'severity')
    .orderBy(['rule_id', 'severity'])
    .select(
      'rule_id',
      'severity',
      knex.raw('count(*)::text as alerts'),
      knex.raw("count(*) filter (where closed_at is null)::text as open"),
    ) as unknown as Promise<AlertCountRow[]>;
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

export async function redAlerts(knex: Knex, regions: string[], year: number, q: number, start: string, end: string, limit: number): Promise<RedAlertRow[]> {
  return quarterAlerts(knex, regions, year, q, start, end)
    .andWhere('severity', 'red')
    .orderBy([{ column: 'rule_id' }, { column: 'subject_key' }, { column: 'id' }])
    .limit(limit)
    .select('id', 'rule_id', 'region_code', 'subject_name', 'period', 'status', 'explanation') as unknown as Promise<RedAlertRow[]>;
}
