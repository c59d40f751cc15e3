import { z } from 'zod';
import { isoDate, money } from '../../contract/common.js';

/** 国有资产: what the API answers (the feed tables' column names, snake_case, as they always went out). */

export const AssetReport = z.strictObject({
  report_year: z.number().int(),
  entity_code: z.string(),
  entity_name: z.string(),
  asset_category: z.string(),
  industry: z.string().nullable(),
  total_assets: money,
  total_liabilities: money,
  net_assets: money,
  operating_revenue: money.nullable(),
  net_profit: money.nullable(),
  /** liabilities ÷ assets (20 significant digits), and in percent to 2 decimals; null when assets are zero. */
  liability_ratio_exact: z.string().nullable(),
  liability_percent_2dp: z.string().nullable(),
});
export type AssetReport = z.infer<typeof AssetReport>;

export const AssetCategory = z.strictObject({
  asset_category: z.string(),
  entities: z.string(),
  total_assets: money,
  total_liabilities: money,
  liability_percent_2dp: z.string().nullable(),
});
export type AssetCategory = z.infer<typeof AssetCategory>;

export const AssetCard = z.strictObject({
  asset_no: z.string(),
  agency_code: z.string(),
  agency_name: z.string().nullable(),
  asset_name: z.string(),
  asset_class: z.string(),
  original_value: money,
  net_value: money.nullable(),
  status: z.string(),
  status_since: isoDate,
  /** Days in the status at the as-of date. */
  days_in_status: z.number().int(),
});
export type AssetCard = z.infer<typeof AssetCard>;

/** year: the report year shown (the latest reported by default); null = none reported. */
export const AssetReportsMeta = z.strictObject({ year: z.number().int().nullable(), categories: z.array(AssetCategory) });
export type AssetReportsMeta = z.infer<typeof AssetReportsMeta>;
export const AssetCardsMeta = z.strictObject({ asOf: isoDate });
export type AssetCardsMeta = z.infer<typeof AssetCardsMeta>;

const cards = z.strictObject({ data: z.array(AssetCard), meta: AssetCardsMeta });

export const assetResponses = {
  'GET /assets/reports': z.strictObject({ data: z.array(AssetReport), meta: AssetReportsMeta }),
  'GET /assets/cards': cards,
  'GET /assets/idle': cards,
};
