import { defineStore } from 'pinia';
import { dataApi, type Batch, type EtlRun, type FeedStatus, type Freshness, type QuarantineRow } from '@/api/data';
import { cachedResource } from './cache';

/** The Data page's blocks, cached by region. */
export const useDataStore = defineStore('data', () => {
  const runs = cachedResource<EtlRun[]>();
  const batches = cachedResource<Batch[]>();
  const feeds = cachedResource<FeedStatus[]>();
  const freshness = cachedResource<Freshness[]>();
  const quarantine = cachedResource<QuarantineRow[]>();
  function load(region: string, force = false) {
    void runs.load(region, () => dataApi.runs({ region, limit: 20 }), { force });
    void batches.load(region, () => dataApi.batches({ region, limit: 20 }), { force });
    void feeds.load(region, () => dataApi.feeds({ region }), { force });
    void freshness.load(region, () => dataApi.freshness({ region }) as Promise<{ data: Freshness[]; meta?: Record<string, unknown> }>, { force });
    void quarantine.load(region, () => dataApi.quarantine({ region, limit: 100 }) as Promise<{ data: QuarantineRow[]; meta?: Record<string, unknown> }>, { force });
  }
  return { runs, batches, feeds, freshness, quarantine, load };
});
