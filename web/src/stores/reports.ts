import { defineStore } from 'pinia';
import { reportsApi, type ReportMeta } from '@/api/reports';
import { cachedResource } from './cache';

export const useReportStore = defineStore('reports', () => {
  const list = cachedResource<ReportMeta[]>();
  const load = (region: string, force = false) => list.load(region, () => reportsApi.list({ region }), { force });
  async function generate(region: string, quarter: string, scope: 'self' | 'all') {
    const res = await reportsApi.generate(region, quarter, scope);
    list.invalidate();
    await load(region, true);
    return res.data;
  }
  return { list, load, generate };
});
