import { defineStore } from 'pinia';
import { drillApi, type Breakdown, type Summary } from '@/api/drill';
import { alertsApi, type AlertStats } from '@/api/alerts';
import { cachedResource } from './cache';

/** The overview's blocks, each cached by region and fiscal year (none: the server's opening year). */
export const useOverviewStore = defineStore('overview', () => {
  const summary = cachedResource<Summary>();
  const functions = cachedResource<Breakdown>();
  const departments = cachedResource<Breakdown>();
  const alerts = cachedResource<AlertStats>();

  function load(region: string, fy?: number, force = false) {
    void summary.load(`summary|${region}|${fy}`, () => drillApi.summary({ region, fy }), { force });
    void functions.load(`functions|${region}|${fy}`, () => drillApi.breakdown('functions', { region, fy, codeLength: 3 }), { force });
    void departments.load(`departments|${region}|${fy}`, () => drillApi.breakdown('departments', { region, fy }), { force });
    void alerts.load(`alerts|${region}`, () => alertsApi.stats({ region }), { force });
  }

  return { summary, functions, departments, alerts, load };
});
