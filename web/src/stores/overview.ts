import { defineStore } from 'pinia';
import { drillApi, type Breakdown, type Scope, type Summary } from '@/api/drill';
import { alertsApi, type AlertStats } from '@/api/alerts';
import { cachedResource } from './cache';

/** The overview's blocks, each cached by region, scope and fiscal year (none: the server's opening year). */
export const useOverviewStore = defineStore('overview', () => {
  const summary = cachedResource<Summary>();
  const functions = cachedResource<Breakdown>();
  const departments = cachedResource<Breakdown>();
  const alerts = cachedResource<AlertStats>();

  function load(region: string, scope: Scope, fy?: number, force = false) {
    const k = `${region}|${scope}|${fy}`;
    void summary.load(`summary|${k}`, () => drillApi.summary({ region, scope, fy }), { force });
    void functions.load(`functions|${k}`, () => drillApi.breakdown('functions', { region, scope, fy, codeLength: 3 }), { force });
    void departments.load(`departments|${k}`, () => drillApi.breakdown('departments', { region, scope, fy }), { force });
    void alerts.load(`alerts|${region}|${scope}`, () => alertsApi.stats({ region, scope }), { force });
  }

  return { summary, functions, departments, alerts, load };
});
