import { defineStore } from 'pinia';
import { drillApi, type Breakdown, type Summary } from '@/api/drill';
import { alertsApi, type AlertStats } from '@/api/alerts';
import { cachedResource } from './cache';

/** The overview's blocks, each cached by region. */
export const useOverviewStore = defineStore('overview', () => {
  const summary = cachedResource<Summary>();
  const functions = cachedResource<Breakdown>();
  const departments = cachedResource<Breakdown>();
  const alerts = cachedResource<AlertStats>();

  function load(region: string, force = false) {
    void summary.load(`summary|${region}`, () => drillApi.summary({ region }), { force });
    void functions.load(`functions|${region}`, () => drillApi.breakdown('functions', { region, codeLength: 3 }), { force });
    void departments.load(`departments|${region}`, () => drillApi.breakdown('departments', { region }), { force });
    void alerts.load(`alerts|${region}`, () => alertsApi.stats({ region }), { force });
  }

  return { summary, functions, departments, alerts, load };
});
