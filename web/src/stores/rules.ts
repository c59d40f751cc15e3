import { defineStore } from 'pinia';
import { rulesApi, type RuleHistory, type RuleSetting } from '@/api/rules';
import { cachedResource } from './cache';

export const useRuleStore = defineStore('rules', () => {
  const list = cachedResource<RuleSetting[]>();
  const history = cachedResource<RuleHistory[]>();
  const load = (force = false) => list.load('all', () => rulesApi.list(), { force });
  const loadHistory = (id: string, force = false) => history.load(id, () => rulesApi.history(id), { force });
  async function update(id: string, body: { params?: Record<string, unknown>; enabled?: boolean; reason: string }) {
    await rulesApi.update(id, body);
    await Promise.all([load(true), loadHistory(id, true)]);
  }
  return { list, history, load, loadHistory, update };
});
