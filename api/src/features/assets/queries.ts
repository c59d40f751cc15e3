import type { Knex } from 'knex';
/** A state-asset report as the query reads it (the table's columns and the ratios); routes answer it through wire.ts. */
export interface AssetReportRow {
  report_year: number;
  entity_code: string;
  entity_name: string;
  asset_category: string;
  industry: string | null;
  total_assets: string;
  total_liabilities: string;
  net_assets: string;
  operating_revenue: string | null;
  net_profit: string | null;
  liability_ratio_exact: string | null;
  liability_percent_2dp: string | null;
}

/** State-asset reports of a year (default: the latest reported) with their liability ratios. */
export async function assetReports(knex: Knex, regionCodes: string[], year: number | undefined, category?: string): Promise<{ year: number | null; rows: AssetReportRow[] }> {
  const y = year ?? (await knex('state_asset_reports').whereIn('region_code', regionCodes).max('report_year as y').first())?.y ?? null;
  if (y === null) return { year: null, rows: [] };
  const q = knex('state_asset_reports')
    .whereIn('region_code', regionCodes)
    .where({ report_year: y })
    .select(
      'report_year', 'entity_code', 'entity_name', 'asset_category', 'industry', 'total_assets', 'total_liabilities',
      knex.raw('(total_assets - total_liabilities)::numeric(18,2) as net_assets'), 'operating_revenue', 'net_profit',
      knex.raw('case when total_assets = 0 then null else round(total_liabilities / total_assets, 20)::text end as liability_ratio_exact'),
      knex.raw('case when total_assets = 0 then null else round(total_liabilities * 100 / total_assets, 2)::text end as liability_percent_2dp'),
    )
    .orderBy([{ column: 'asset_category' }, { column: 'entity_code' }]);
  if (category) q.andWhere({ asset_category: category });
  return { year: Number(y), rows: await q };
}

/** An asset card as the query reads it, with its days in status. */
export interface AssetCardRow {
  asset_no: string;
  agency_code: string;
  agency_name: string | null;
  asset_name: string;
  asset_class: string;
  original_value: string;
  net_value: string | null;
  status: string;
  status_since: string;
  days_in_status: number;
}

/** One asset category's totals for a report year. */
export interface AssetCategoryRow {
  asset_category: string;
  entities: string;
  total_assets: string;
  total_liabilities: string;
  liability_percent_2dp: string | null;
}

/** Asset cards with how long each has been in its status at `asOf`; `status: '闲置'` gives the idle list. */
export function assetCards(knex: Knex, regionCodes: string[], asOf: string, f: { status?: string; assetClass?: string; minDays?: number }): Promise<AssetCardRow[]> {
  const q = knex('asset_cards as c')
    .leftJoin('agencies as a', function () {
      this.on('a.region_code', 'c.region_code').andOn('a.agency_code', 'c.agency_code');
    })
    .whereIn('c.region_code', regionCodes)
    .select(
      'c.asset_no', 'c.agency_code', 'a.agency_name', 'c.asset_name', 'c.asset_class', 'c.original_value', 'c.net_value', 'c.status', 'c.status_since',
      knex.raw('greatest(?::date - c.status_since, 0)::int as days_in_status', [asOf]),
    )
    .orderBy([{ column: 'days_in_status', order: 'desc' }, { column: 'c.asset_no' }]);
  if (f.status) q.andWhere('c.status', f.status);
  if (f.assetClass) q.andWhere('c.asset_class', f.assetClass);
  if (f.minDays !== undefined) q.andWhereRaw('?::date - c.status_since >= ?', [asOf, f.minDays]);
  return q;
}

/** Totals per asset category for a report year. */
export async function assetCategoryTotals(knex: Knex, regionCodes: string[], year: number) {
  const { rows } = await knex.raw(
    `select asset_category, count(*)::text as entities, sum(total_assets)::numeric(18,2) as total_assets,
            sum(total_liabilities)::numeric(18,2) as total_liabilities,
            case when sum(total_assets) = 0 then null else round(sum(total_liabilities) * 100 / sum(total_assets), 2)::text end as liability_percent_2dp
       from state_asset_reports where region_code = any(?) and report_year = ? group by 1 order by 1`,
    [regionCodes, year],
  );
  return rows as AssetCategoryRow[];
}
