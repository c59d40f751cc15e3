import { defineStore } from 'pinia';
import { ref } from 'vue';
import { dataApi } from '@/api/data';
import type { Scope } from '@contract/drilldown';

/**
 * The as-of date of the data and when it was last loaded, for the region being looked at, and
 * the server's business date "today" (its clock: BW_TZ, BW_TODAY) — the browser's own date
 * may be in another zone, or not the date the system runs as of. In 全辖 (scope all) the
 * as-of and the last load are those of the region with the regions under it, as the figures are.
 */
export const useStatusStore = defineStore('status', () => {
  const asOf = ref<string | null>(null);
  const today = ref<string | null>(null);
  const lastLoadAt = ref<string | null>(null);
  const stale = ref(false);
  let current: string | null = null;

  async function load(regionCode: string, scope: Scope = 'self') {
    const key = `${regionCode}|${scope}`;
    current = key;
    let date: string | null = null;
    let loaded: string | null = null;
    let behind = false;
    try {
      const { data, meta } = await dataApi.freshness({ region: regionCode, scope });
      // 数据截至: the server's (the region's latest committed delivery), as /api/health and npm start say it.
      date = meta?.dataAsOf ?? null;
      if (meta) today.value = meta.today;
      for (const r of scope === 'all' ? data : data.filter((x) => x.regionCode === regionCode)) {
        if (r.lastLoadedAt && (!loaded || r.lastLoadedAt > loaded)) loaded = r.lastLoadedAt;
        if (r.feed === 'payment_vouchers' && (r.daysBehind ?? 0) > 0) behind = true;
      }
    } catch {
      /* shown as — */
    }
    if (current !== key) return;
    asOf.value = date;
    lastLoadAt.value = loaded;
    stale.value = behind;
  }

  return { asOf, today, lastLoadAt, stale, load };
});
