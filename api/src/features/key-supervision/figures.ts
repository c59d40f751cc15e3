import Decimal from 'decimal.js';
import type { Knex } from 'knex';
import type { KeySupervisionFigures, Transfer, TransferSummary } from './contract.js';
import { alertsFor, groupTransfers, performanceProjects, transfers, type Scope } from './queries.js';

/**
 * The 重点监督 figures one place computes for the overview's block, the 转移支付 page's cards
 * and the quarterly report's section, so the three say the same numbers for the same date.
 */

const sum = (xs: { amount: string }[]) => xs.reduce((a, t) => a.plus(t.amount), new Decimal(0)).toFixed(2);

/** Received / passed down by kind, direct funds' delays and idle funds (R23), from the listed transfers. */
export async function summarizeTransfers(knex: Knex, sc: Scope, list: Omit<Transfer, 'alerts'>[]): Promise<TransferSummary> {
  const direct = list.filter((t) => t.direction === '收到上级' && t.kind === '直达资金' && t.daysToAllocate !== null);
  const days = direct.map((t) => t.daysToAllocate!);
  const idle = await alertsFor(knex, sc.regions, list.map((t) => `transfer:${t.transferNo}`), ['R23']);
  const idleKeys = new Set(idle.map((a) => `${a.regionCode}|${a.subjectKey}`));
  const inScope = (t: Omit<Transfer, 'alerts'>) => sc.regions.length > 1 && sc.regions.includes(t.counterpartRegion);
  const received = list.filter((t) => t.direction === '收到上级');
  const passedDown = list.filter((t) => t.direction === '下达下级');
  return {
    asOf: sc.asOf, fiscalYear: sc.year, groups: groupTransfers(list), received: sum(received), passedDown: sum(passedDown),
    directFunds: {
      count: direct.length, amount: sum(direct), notAllocated: direct.filter((t) => !t.allocatedOn).length,
      averageDays: days.length ? new Decimal(days.reduce((a, b) => a + b, 0)).div(days.length).toFixed(1) : null,
      over30: days.filter((d) => d > 30).length,
    },
    idle: { count: idleKeys.size, amount: sum(list.filter((t) => idleKeys.has(`${t.regionCode}|transfer:${t.transferNo}`))) },
    withinScope: sc.regions.length > 1 ? { received: sum(received.filter(inScope)), passedDown: sum(passedDown.filter(inScope)) } : null,
  };
}

/**
 * R19 (a voucher: its amount) and R20 (a cluster: its total) alerts that held on the as-of
 * date: not dismissed as 误报, not closed by then, and about payments made by then (a split cluster by its last payment; a later
 * evaluation's alerts about later payments are left out of an earlier quarter's report).
 */
async function flaggedPayments(knex: Knex, sc: Scope): Promise<KeySupervisionFigures['payments']> {
  const { rows } = await knex.raw<{ rows: { rule_id: string; n: number; amount: string }[] }>(
    `select rule_id, count(*)::int as n,
            coalesce(sum(case rule_id when 'R19' then (measured->>'amount')::numeric else (measured->>'total')::numeric end), 0) as amount
       from alerts
      where region_code = any(:regions) and rule_id in ('R19', 'R20') and status <> 'dismissed'
        and (closed_at is null or closed_at::date > :asOf::date)
        and left(period, 4) = :year
        and coalesce(measured->>'payDate', measured->>'lastDate') <= :asOf
      group by rule_id`,
    { regions: sc.regions, asOf: sc.asOf, year: String(sc.year) },
  );
  const of = (id: string) => {
    const r = rows.find((x) => x.rule_id === id);
    return { count: r?.n ?? 0, amount: new Decimal(r?.amount ?? 0).toFixed(2) };
  };
  return { large: of('R19'), split: of('R20') };
}

export async function keySupervisionFigures(knex: Knex, sc: Scope): Promise<KeySupervisionFigures> {
  const [projects, list, payments] = await Promise.all([performanceProjects(knex, sc), transfers(knex, sc, {}), flaggedPayments(knex, sc)]);
  const t = await summarizeTransfers(knex, sc, list);
  const measured = projects.filter((p) => p.gap !== null);
  const behind = measured.filter((p) => new Decimal(p.gap!).gt(0));
  const worst = [...behind].sort((a, b) => new Decimal(b.gap!).cmp(a.gap!) || a.indicatorNo.localeCompare(b.indicatorNo))[0];
  const noTargets = projects.filter((p) => p.targets === 0 && new Decimal(p.amount).gte(500000));
  return {
    asOf: sc.asOf,
    fiscalYear: sc.year,
    performance: {
      projects: projects.length, measured: measured.length, behind: behind.length,
      worst: worst ? { regionCode: worst.regionCode, indicatorNo: worst.indicatorNo, projectName: worst.projectName, gap: worst.gap! } : null,
      noTargets: { count: noTargets.length, amount: sum(noTargets) },
    },
    transfers: { received: t.received, passedDown: t.passedDown, directFunds: t.directFunds, idle: t.idle, withinScope: t.withinScope },
    payments,
  };
}
