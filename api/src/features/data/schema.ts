import { z } from 'zod';
import { regionId } from '../../contract/common.js';
import { isoDate, regionParam } from '../../middleware/query-schema.js';
import { Scope } from '../drilldown/contract.js';

const page = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
};

export const runsQuery = z.object({ ...page, region: regionParam.optional() });
export const batchesQuery = z.object({ ...page, region: regionParam.optional(), status: z.enum(['loading', 'committed', 'rejected']).optional() });
export const regionQuery = z.object({ region: regionParam.optional() });
/** 全辖 (all): the region with every region under it, as the dashboard's figures are. */
export const freshnessQuery = z.object({ region: regionParam.optional(), scope: Scope.default('self') });
export const quarantineQuery = z.object({
  ...page,
  region: regionParam.optional(),
  /** One batch, by region and id (`411100-42`): its rows are read on that region alone. */
  batchId: regionId('批次').optional(),
  feed: z.string().regex(/^[a-z_]{1,40}$/, '数据集名称不正确').optional(),
});
export const rerunBody = z.object({ regionCode: regionParam, businessDate: isoDate });
