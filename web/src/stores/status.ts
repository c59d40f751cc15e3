import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '@/api/client';

interface FreshnessRow {
  region_code?: string;
  regionCode?: string;
  business_date?: string | null;
  businessDate?: string | null;
  last_load_at?: string | null;
  lastLoadAt?: string | null;
  committed_at?: string | null;
}

/** The as-of date of the data and when it was last loaded, for the region being looked at. */
export const useStatusStore = defineStore('status', () => {
  const asOf = ref<string | null>(null);
  const lastLoadAt = ref<string | null>(null);
  const region = ref<string | null>(null);
  const stale = ref(false);

  async function load(regionCode: string) {
    region.value = regionCode;
    try {
      const { data } = await api.get<unknown>('/data/freshness', { region: regionCode });
      const rows = (Array.isArray(data) ? data : ((data as { regions?: unknown[]; sources?: unknown[] })?.regions ?? (data as { sources?: unknown[] })?.sources ?? [data])) as FreshnessRow[];
      const mine = rows.find((r) => (r.region_code ?? r.regionCode) === regionCode) ?? rows[0];
      if (mine) {
        asOf.value = mine.business_date ?? mine.businessDate ?? null;
        lastLoadAt.value = mine.last_load_at ?? mine.lastLoadAt ?? mine.committed_at ?? null;
      }
    } catch {
      /* the data routes may not be there: fall back to the summary's as-of date */
    }
    if (!asOf.value || region.value !== regionCode) {
      try {
        const { data } = await api.get<{ asOf: string }>('/drill/summary', { region: regionCode });
        if (region.value === regionCode) asOf.value = data.asOf;
      } catch {
        /* shown as — */
      }
    }
    if (lastLoadAt.value) stale.value = Date.now() - Date.parse(lastLoadAt.value) > 48 * 3600_000;
  }

  return { asOf, lastLoadAt, stale, load };
});
