import type { AssetCard, AssetCategory, AssetReport } from './contract.js';
import type { AssetCardRow, AssetCategoryRow, AssetReportRow } from './queries.js';

/** State-asset reports, category totals and asset cards as the API answers them: the queries' rows, camelCase. */

export const toAssetReport = (r: AssetReportRow): AssetReport => ({
  reportYear: r.report_year,
  entityCode: r.entity_code,
  entityName: r.entity_name,
  assetCategory: r.asset_category,
  industry: r.industry,
  totalAssets: r.total_assets,
  totalLiabilities: r.total_liabilities,
  netAssets: r.net_assets,
  operatingRevenue: r.operating_revenue,
  netProfit: r.net_profit,
  liabilityRatioExact: r.liability_ratio_exact,
  liabilityPercent2dp: r.liability_percent_2dp,
});

export const toAssetCategory = (r: AssetCategoryRow): AssetCategory => ({
  assetCategory: r.asset_category,
  entities: r.entities,
  totalAssets: r.total_assets,
  totalLiabilities: r.total_liabilities,
  liabilityPercent2dp: r.liability_percent_2dp,
});

export const toAssetCard = (r: AssetCardRow): AssetCard => ({
  assetNo: r.asset_no,
  agencyCode: r.agency_code,
  agencyName: r.agency_name,
  assetName: r.asset_name,
  assetClass: r.asset_class,
  originalValue: r.original_value,
  netValue: r.net_value,
  status: r.status,
  statusSince: r.status_since,
  daysInStatus: r.days_in_status,
});
