import { z } from 'zod';
import { isoDate, money } from '../../contract/common.js';

/** 国有资产: what the API answers, camelCase (the queries' snake_case rows are mapped in wire.ts). */

export const AssetReport = z.strictObject({
  reportYear: z.number().int(),
  entityCode: z.string(),
  entityName: z.string(),
  assetCategory: z.string(),
  industry: z.string().nullable(),
  totalAssets: money,
  totalLiabilities: money,
  netAssets: money,
  operatingRevenue: money.nullable(),
  netProfit: money.nullable(),
  /** liabilities ÷ assets (20 significant digits), and in percent to 2 decimals; null when assets are zero. */
  liabilityRatioExact: z.string().nullable(),
  liabilityPercent2dp: z.string().nullable(),
});
export type AssetReport = z.infer<typeof AssetReport>;

export const AssetCategory = z.strictObject({
  assetCategory: z.string(),
  entities: z.string(),
  totalAssets: money,
  totalLiabilities: money,
  liabilityPercent2dp: z.string().nullable(),
});
export type AssetCategory = z.infer<typeof AssetCategory>;

export const AssetCard = z.strictObject({
  assetNo: z.string(),
  agencyCode: z.string(),
  agencyName: z.string().nullable(),
  assetName: z.string(),
  assetClass: z.string(),
  originalValue: money,
  netValue: money.nullable(),
  status: z.string(),
  statusSince: isoDate,
  /** Days in the status at the as-of date. */
  daysInStatus: z.number().int(),
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
