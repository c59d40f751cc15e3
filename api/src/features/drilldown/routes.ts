import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { currentTarget, onPrimary } from '../../db/routing.js';
import { createError, ErrorCode } from '../../errors.js';
import { requireAuth, visibleRegionCodes } from '../../middleware/auth.js';
import { scopedRegion } from '../../middleware/region-scope.js';
import { parseInput } from '../../middleware/validate.js';
import { isoDate } from '../../contract/common.js';
import { maskFor, maskRecord } from './mask.js';
import { withoutServerPaths } from '../data/scope.js';
import { aggregatesVersion, queryKey, ResponseCache } from './response-cache.js';
import type { DrillFilters } from './queries.js';
import { decodeCursor, drillQuery, encodeCursor, voucherListQuery, voucherNoParam, type DrillQuery, type VoucherListParams } from './schema.js';
import { existingDepartment } from '../opinions/service.js';
import { getBreakdown, getSummary, resolveContext, type BreakdownLevel, type DrillContext } from './service.js';
import { listTotals, voucherPage, voucherWithLineage, type VoucherListQuery } from './voucher-queries.js';
import type { VoucherLineage, VoucherPageMeta } from './contract.js';

export const BREAKDOWN_LEVELS: BreakdownLevel[] = ['regions', 'fund-types', 'departments', 'units', 'functions', 'economics', 'indicators'];

export const filtersOf = (q: DrillQuery): DrillFilters => ({
  ...(q.dept ? { dept: q.dept } : {}),
  ...(q.unit ? { unit: q.unit } : {}),
  ...(q.func ? { func: q.func } : {}),
  ...(q.econ ? { econ: q.econ } : {}),
  ...(q.fundType ? { fundType: q.fundType } : {}),
  ...(q.indicator ? { indicator: q.indicator } : {}),
  ...(q.func && q.funcExact ? { funcExact: true } : {}),
  ...(q.econ && q.econExact ? { econExact: true } : {}),
});

/** Parse and scope a voucher list request: shared by the list route and the exports. */
export async function voucherListFromRequest(knex: Knex, req: Request): Promise<{ list: VoucherListQuery; params: VoucherListParams }> {
  const q = parseInput(voucherListQuery, req.query);
  // A voucher belongs to one region's own budget: 全辖 lists stop at the last level above them.
  if (q.scope === 'all') throw createError(ErrorCode.VALIDATION, '字段 scope: 支付凭证按地区本级查询，请在按地区中选择一个地区', 400);
  const ctx = await resolveContext(knex, { regionCode: scopedRegion(req, q.region), fiscalYear: q.fy, asOf: q.asOf });
  let after: [string, string] | undefined;
  if (q.cursor) {
    after = decodeCursor(q.cursor);
    // A real calendar date, or an amount numeric(18,2) can hold: anything else is a forged cursor.
    const valid = after && (q.sort === 'date' ? isoDate.safeParse(after[0]).success : /^-?\d{1,16}(\.\d{1,2})?$/.test(after[0]));
    if (!valid) throw createError(ErrorCode.VALIDATION, '字段 cursor: 分页游标无效（排序方式改变后请从第一页开始）', 400);
  }
  return {
    params: q,
    list: {
      regionCode: ctx.regionCode,
      fiscalYear: ctx.fiscalYear,
      asOf: ctx.asOf,
      filters: filtersOf(q),
      unmatched: q.unmatched,
      dateFrom: q.dateFrom,
      dateTo: q.dateTo,
      payee: q.payee,
      amountMin: q.amountMin,
      amountMax: q.amountMax,
      sort: q.sort,
      order: q.order,
      limit: q.limit,
      after,
    },
  };
}

/** 本级: the region's department, else 404; 全辖: a department of any region in scope. */
async function departmentInScope(knex: Knex, ctx: DrillContext, dept: string): Promise<void> {
  if (ctx.scope === 'self') {
    await existingDepartment(knex, ctx.regionCode, dept);
    return;
  }
  const found = await knex('agencies').whereIn('region_code', ctx.regions.map((r) => r.code)).where({ agency_code: dept }).first('agency_code');
  if (!found) throw createError(ErrorCode.NOT_FOUND, `部门 ${dept} 在${ctx.label}不存在`, 404);
}

export interface DrilldownOptions {
  /** Cache summary and level answers until the next refreshAggregates (default on). */
  cache?: boolean;
}

export function drilldownRoutes(knex: Knex, opts: DrilldownOptions = {}): Router {
  const router = Router();
  router.use('/drill', requireAuth);
  const cache = opts.cache === false ? undefined : new ResponseCache();

  /**
   * Answer from the cache when the figures have not changed since it was filled. The version is
   * the primary's (api/src/db/routing.ts): a load's refresh empties the cache at once. A miss
   * is computed where the request reads only when that server (a replica) already shows the
   * same version; during replication lag after a load it is computed on the primary, so an
   * answer cached under the new version never holds the old figures.
   */
  const cached = async <T>(key: string, compute: () => Promise<T>): Promise<T> => {
    if (!cache) return compute();
    const version = await onPrimary(() => aggregatesVersion(knex));
    const k = `${version}|${key}`;
    const hit = cache.get(k);
    // The key names the route and its query, so a hit holds what that compute returned.
    if (hit !== undefined) return hit as T;
    const behind = currentTarget() === 'replica' && (await aggregatesVersion(knex)) !== version;
    const value = await (behind ? onPrimary(compute) : compute());
    cache.set(k, value);
    return value;
  };

  router.get('/drill/summary', async (req, res) => {
    const q = parseInput(drillQuery, req.query);
    const regionCode = scopedRegion(req, q.region);
    const data = await cached(`summary|${regionCode}|${queryKey(q)}`, async () => {
      const ctx = await resolveContext(knex, { regionCode, fiscalYear: q.fy, asOf: q.asOf, progress: q.progress, scope: q.scope });
      // A department the URL names that the region does not have is a 404, not a row of zeros.
      if (q.dept) await departmentInScope(knex, ctx, q.dept);
      return getSummary(knex, ctx, filtersOf(q));
    });
    res.json({ data });
  });

  for (const level of BREAKDOWN_LEVELS) {
    router.get(`/drill/${level}`, async (req, res) => {
      const q = parseInput(drillQuery, req.query);
      const regionCode = scopedRegion(req, q.region);
      const regionCodes =
        level === 'regions' ? (await visibleRegionCodes(knex, regionCode)).filter((c) => req.user!.regionCodes.includes(c)) : undefined;
      // The regions level depends on who asks (their visible regions): part of the key.
      const data = await cached(`${level}|${regionCode}|${regionCodes?.join(',') ?? ''}|${queryKey(q)}`, async () => {
        const ctx = await resolveContext(knex, { regionCode, fiscalYear: q.fy, asOf: q.asOf, progress: q.progress, scope: q.scope });
        if (q.dept) await departmentInScope(knex, ctx, q.dept);
        return getBreakdown(knex, ctx, { level, filters: filtersOf(q), codeLength: q.codeLength, regionCodes });
      });
      res.json({ data });
    });
  }

  router.get('/drill/vouchers', async (req, res) => {
    const { list, params } = await voucherListFromRequest(knex, req);
    const [page, totals] = await Promise.all([
      voucherPage(knex, list),
      params.cursor ? Promise.resolve(undefined) : listTotals(knex, list),
    ]);
    const meta: VoucherPageMeta = {
      asOf: list.asOf,
      fiscalYear: list.fiscalYear,
      sort: list.sort,
      order: list.order,
      limit: list.limit,
      nextCursor: page.next ? encodeCursor(page.next) : null,
      // Count and sum of everything the filters select: on the first page only (later pages reuse it).
      ...(totals ? { total: totals } : {}),
    };
    res.json({ data: page.rows.map((r) => maskFor(req.user!.role, r)), meta });
  });

  router.get('/drill/vouchers/:voucherNo', async (req, res) => {
    const { voucherNo } = parseInput(voucherNoParam, req.params);
    const q = parseInput(drillQuery.pick({ region: true }), req.query);
    const regionCode = scopedRegion(req, q.region);
    const found = await voucherWithLineage(knex, regionCode, voucherNo);
    if (!found) throw createError(ErrorCode.NOT_FOUND, `支付凭证 ${voucherNo} 不存在`, 404);
    const role = req.user!.role;
    const data: VoucherLineage = {
      ...found,
      voucher: maskFor(role, found.voucher),
      superseded: found.superseded.map((s) => ({ ...s, row: maskRecord(role, s.row) })),
      batch: withoutServerPaths(role, found.batch),
    };
    res.json({ data });
  });

  return router;
}
