import Decimal from 'decimal.js';
import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { toRegionId } from '../../contract/common.js';
import { z } from 'zod';
import { createError, ErrorCode } from '../../errors.js';
import { requireAuth } from '../../middleware/auth.js';
import { isoDate, regionParam, scopeParam, yearParam } from '../../middleware/query-schema.js';
import { asOfFor, requestScopeLabel, scopedRegions } from '../../middleware/region-scope.js';
import { parseInput } from '../../middleware/validate.js';
import { ruleById } from '../../rules/index.js';
import { readTimeProgressConvention, timeProgress } from '../../rules/time-progress.js';
import type { KeySupervisionOverview, Transfer } from './contract.js';
import { keySupervisionFigures, summarizeTransfers } from './figures.js';
import { alertsFor, performanceProjects, projectTargets, spendingCurve, transfers } from './queries.js';

const KEY_RULES = ['R19', 'R20', 'R21', 'R22', 'R23'];

/** scope=all (全辖): the region and every region under it, summed; a project or transfer still belongs to one region. */
export const baseQuery = z.object({ region: regionParam.optional(), scope: scopeParam.optional(), asOf: isoDate.optional(), year: yearParam.optional() });
const pageQuery = { page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(200).default(20) };
export const projectsQuery = baseQuery.extend({
  ...pageQuery,
  /** behind: measured projects by gap (largest first); noTargets: ≥ 500,000 without targets; all. */
  filter: z.enum(['behind', 'noTargets', 'all']).default('behind'),
});
export const transfersQuery = baseQuery.extend({
  ...pageQuery,
  direction: z.enum(['收到上级', '下达下级']).optional(),
  kind: z.enum(['一般性转移支付', '共同财政事权转移支付', '专项转移支付', '直达资金']).optional(),
  transfer: z.string().trim().min(1).max(100).optional(),
});

const page = <T>(list: T[], p: number, size: number) => list.slice((p - 1) * size, p * size);

/** 重点监督 (issue 15): read-only pages, open to every role that may browse (deputies included). */
export function keySupervisionRoutes(knex: Knex): Router {
  const router = Router();
  router.use(['/performance', '/transfers', '/key-supervision'], requireAuth);

  // One as-of date for the whole scope (the latest of its regions) and the asked region's time-progress convention.
  const scope = async (req: Request, q: z.infer<typeof baseQuery>) => {
    const { region, codes } = await scopedRegions(knex, req, q.region, q.scope);
    const asOf = await asOfFor(knex, codes, q.asOf);
    const tp = timeProgress(asOf, await readTimeProgressConvention(knex, region));
    return {
      region, regions: codes, scope: q.scope ?? 'self', label: await requestScopeLabel(knex, req, region, q.scope),
      asOf, year: q.year ?? Number(asOf.slice(0, 4)), elapsed: tp.elapsed, total: tp.total, percent: tp.percent,
    };
  };
  const listMeta = (sc: Awaited<ReturnType<typeof scope>>, total: number, q: { page: number; pageSize: number }) => ({
    total, page: q.page, pageSize: q.pageSize, asOf: sc.asOf, fiscalYear: sc.year, region: sc.region, scope: sc.scope, label: sc.label,
  });

  router.get('/performance/projects', async (req, res) => {
    const q = parseInput(projectsQuery, req.query);
    const sc = await scope(req, q);
    const all = await performanceProjects(knex, sc);
    const list = q.filter === 'behind'
      ? all.filter((p) => p.gap !== null).sort((a, b) => new Decimal(b.gap!).cmp(a.gap!) || a.indicatorNo.localeCompare(b.indicatorNo))
      : q.filter === 'noTargets'
        ? all.filter((p) => p.targets === 0 && new Decimal(p.amount).gte(500000)).sort((a, b) => new Decimal(b.amount).cmp(a.amount))
        : all;
    res.json({
      data: page(list, q.page, q.pageSize),
      meta: listMeta(sc, list.length, q),
    });
  });

  router.get('/performance/projects/:indicator', async (req, res) => {
    const q = parseInput(baseQuery, req.query);
    // A project belongs to one region's budget: its page is that region's 本级.
    const sc = await scope(req, { ...q, scope: 'self' });
    const [project] = await performanceProjects(knex, sc, String(req.params.indicator));
    if (!project) throw createError(ErrorCode.NOT_FOUND, `项目指标 ${req.params.indicator} 不存在或不是 ${sc.year} 年的项目指标`, 404);
    const linked = await knex('transfer_payments').where({ region_code: sc.region, indicator_no: project.indicatorNo }).pluck('transfer_no');
    const alerts = await alertsFor(knex, sc.regions, [`indicator:${project.indicatorNo}`, ...linked.map((t: string) => `transfer:${t}`)]);
    res.json({
      data: {
        asOf: sc.asOf, timeProgress: new Decimal(sc.percent).toFixed(4), project,
        curve: await spendingCurve(knex, sc, project.indicatorNo, project.amount),
        targets: await projectTargets(knex, sc, project.indicatorNo, project.projectCode),
        alerts: alerts.map(({ subjectKey: _k, regionCode: _r, ...a }) => a),
      },
    });
  });

  const withAlerts = async (regions: string[], list: Omit<Transfer, 'alerts'>[]): Promise<Transfer[]> => {
    const alerts = await alertsFor(knex, regions, list.map((t) => `transfer:${t.transferNo}`), ['R22', 'R23']);
    const mine = (t: Omit<Transfer, 'alerts'>) => alerts.filter((a) => a.regionCode === t.regionCode && a.subjectKey === `transfer:${t.transferNo}`);
    return list.map((t) => ({ ...t, alerts: mine(t).map((a) => ({ ruleId: a.ruleId, severity: a.severity })) }));
  };

  router.get('/transfers/summary', async (req, res) => {
    const sc = await scope(req, parseInput(baseQuery, req.query));
    res.json({ data: await summarizeTransfers(knex, sc, await transfers(knex, sc, {})) });
  });

  router.get('/transfers', async (req, res) => {
    const q = parseInput(transfersQuery, req.query);
    const sc = await scope(req, q);
    const list = await transfers(knex, sc, q);
    res.json({
      data: await withAlerts(sc.regions, page(list, q.page, q.pageSize)),
      meta: listMeta(sc, list.length, q),
    });
  });

  router.get('/key-supervision/overview', async (req, res) => {
    const sc = await scope(req, parseInput(baseQuery, req.query));
    const rows = await knex('alerts').whereIn('region_code', sc.regions).whereNull('closed_at').whereIn('rule_id', KEY_RULES)
      .orderByRaw("case severity when 'red' then 0 when 'orange' then 1 else 2 end").orderBy('id', 'desc');
    const data: KeySupervisionOverview = {
      ...(await keySupervisionFigures(knex, sc)),
      label: sc.label,
      rules: KEY_RULES.map((id) => {
        const mine = rows.filter((a) => a.rule_id === id);
        const count = (sev: string) => mine.filter((a) => a.severity === sev).length;
        return { ruleId: id, name: ruleById(id)!.nameZh, yellow: count('yellow'), orange: count('orange'), red: count('red') };
      }),
      worst: rows.slice(0, 5).map((a) => ({
        id: toRegionId(a.region_code, a.id), ruleId: a.rule_id, severity: a.severity, explanation: a.explanation, period: a.period, regionCode: a.region_code,
        subjectName: a.subject_name, drillLink: a.drill_link,
      })),
    };
    res.json({ data });
  });
  return router;
}
