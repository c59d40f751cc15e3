import { defineStore } from 'pinia';
import { rulesApi, type RuleHistory, type RuleSetting } from '@/api/rules';
import { cachedResource } from './cache';

export const useRuleStore = defineStore('rules', () => {
  const list = cachedResource<RuleSetting[]>();
  const history = cachedResource<RuleHistory[]>();
  // Settings belong to a region (inherited from above unless it sets its own): cached per region.
  const load = (region: string, force = false) => list.load(region, () => rulesApi.list(region), { force });
  const loadHistory = (id: string, region: string, force = false) => history.load(`${region}|${id}`, () => rulesApi.history(id, region), { force });
  async function update(id: string, region: string, body: { params?: Record<string, unknown>; enabled?: boolean; reason: string }) {
    await rulesApi.update(id, region, body);
    await Promise.all([load(region, true), loadHistory(id, region, true)]);
  }
  return { list, history, load, loadHistory, update };
});
