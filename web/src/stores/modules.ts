import { defineStore } from 'pinia';
import { modulesApi, type AssetCard, type AssetReport, type Bond, type DebtSummary, type Finding, type Maturity, type RepeatFinding, type Repayment } from '@/api/modules';
import { api } from '@/api/client';
import { cachedResource } from './cache';
import type { Scope } from '@/api/drill';

export const DEBT_PAGE = 20;

/** The region a module page shows and its scope (本级 / 全辖). */
export type Where = { region: string; scope: Scope };
const key = (w: Where) => `${w.region}|${w.scope}`;

/** Debt, state assets and audit pages, each block cached by region and scope (the route key of these pages). */
export const useDebtStore = defineStore('debt', () => {
  const summary = cachedResource<DebtSummary>();
  const bonds = cachedResource<Bond[]>();
  const maturities = cachedResource<Maturity[]>();
  const repayments = cachedResource<Repayment[]>();
  // Bonds and repayments come a page at a time (a city has hundreds of repayments); the
  // maturity wall is the server's, from today on.
  function load(where: Where, force = false, pages = { bonds: 1, repayments: 1 }) {
    const region = key(where);
    void summary.load(region, () => modulesApi.debtSummary(where), { force });
    void bonds.load(`${region}|${pages.bonds}`, () => modulesApi.bonds({ ...where, page: pages.bonds, pageSize: DEBT_PAGE }), { force });
    void maturities.load(region, () => modulesApi.maturities({ ...where, by: 'year', upcoming: true }), { force });
    void repayments.load(`${region}|${pages.repayments}`, () => modulesApi.repayments({ ...where, page: pages.repayments, pageSize: DEBT_PAGE }), { force });
  }
  return { summary, bonds, maturities, repayments, load };
});

export interface RuleSetting {
  id: string;
  nameZh: string;
  params: Record<string, unknown>;
}

export const useAssetStore = defineStore('assets', () => {
  const reports = cachedResource<AssetReport[]>();
  const idle = cachedResource<AssetCard[]>();
  const r15 = cachedResource<RuleSetting>();
  function load(where: Where, force = false) {
    const region = key(where);
    void reports.load(region, () => modulesApi.assetReports(where) as Promise<{ data: AssetReport[]; meta?: Record<string, unknown> }>, { force });
    void idle.load(region, () => modulesApi.idleAssets(where), { force });
    void r15.load('R15', () => api.get<RuleSetting>('/rules/R15'), { force });
  }
  return { reports, idle, r15, load };
});

export const useAuditStore = defineStore('audit', () => {
  const findings = cachedResource<Finding[]>();
  const overdue = cachedResource<Finding[]>();
  const repeats = cachedResource<RepeatFinding[]>();
  function load(where: Where, force = false) {
    const region = key(where);
    void findings.load(region, () => modulesApi.findings(where) as Promise<{ data: Finding[]; meta?: Record<string, unknown> }>, { force });
    void overdue.load(region, () => modulesApi.overdue(where), { force });
    void repeats.load(region, () => modulesApi.repeats(where), { force });
  }
  return { findings, overdue, repeats, load };
});
