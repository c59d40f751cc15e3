import { defineStore } from 'pinia';
import { modulesApi, type AssetCard, type AssetReport, type Bond, type DebtSummary, type Finding, type Maturity, type RepeatFinding, type Repayment } from '@/api/modules';
import { api } from '@/api/client';
import { cachedResource } from './cache';

/** Debt, state assets and audit pages, each block cached by region (the route key of these pages). */
export const useDebtStore = defineStore('debt', () => {
  const summary = cachedResource<DebtSummary>();
  const bonds = cachedResource<Bond[]>();
  const maturities = cachedResource<Maturity[]>();
  const repayments = cachedResource<Repayment[]>();
  function load(region: string, force = false) {
    void summary.load(region, () => modulesApi.debtSummary({ region }), { force });
    void bonds.load(region, () => modulesApi.bonds({ region }), { force });
    void maturities.load(region, () => modulesApi.maturities({ region, by: 'year' }), { force });
    void repayments.load(region, () => modulesApi.repayments({ region }), { force });
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
  function load(region: string, force = false) {
    void reports.load(region, () => modulesApi.assetReports({ region }) as Promise<{ data: AssetReport[]; meta?: Record<string, unknown> }>, { force });
    void idle.load(region, () => modulesApi.idleAssets({ region }), { force });
    void r15.load('R15', () => api.get<RuleSetting>('/rules/R15'), { force });
  }
  return { reports, idle, r15, load };
});

export const useAuditStore = defineStore('audit', () => {
  const findings = cachedResource<Finding[]>();
  const overdue = cachedResource<Finding[]>();
  const repeats = cachedResource<RepeatFinding[]>();
  function load(region: string, force = false) {
    void findings.load(region, () => modulesApi.findings({ region }) as Promise<{ data: Finding[]; meta?: Record<string, unknown> }>, { force });
    void overdue.load(region, () => modulesApi.overdue({ region }), { force });
    void repeats.load(region, () => modulesApi.repeats({ region }), { force });
  }
  return { findings, overdue, repeats, load };
});
