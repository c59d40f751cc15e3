import { ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import { ApiError, errorMessage } from '@/api/client';

/**
 * A resource cached by key (the route key: path + filters). Views call `load(key, loader)`;
 * a key seen before shows its cached data at once (with `force` it is loaded again, the cached
 * data shown meanwhile). At most `max` keys are kept, the least recently shown dropped first,
 * so a long session of drilling does not hold every page it passed. Loading and error state
 * belong to the current key only.
 */
export interface CachedResource<T> {
  data: ShallowRef<T | null>;
  meta: ShallowRef<Record<string, unknown> | null>;
  loading: Ref<boolean>;
  error: Ref<string | null>;
  /** True when the last error was the server's 404: what the URL names does not exist. */
  notFound: Ref<boolean>;
  key: Ref<string | null>;
  load(key: string, loader: () => Promise<{ data: T; meta?: Record<string, unknown> }>, opts?: { force?: boolean }): Promise<void>;
  invalidate(prefix?: string): void;
}

export function cachedResource<T>(max = 50): CachedResource<T> {
  if (max < 1) throw new Error('cachedResource: max must be at least 1');
  const cache = new Map<string, { data: T; meta: Record<string, unknown> | null }>();
  const data = shallowRef<T | null>(null);
  const meta = shallowRef<Record<string, unknown> | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const notFound = ref(false);
  const key = ref<string | null>(null);

  /** Store (or touch) an entry as the most recent: a Map iterates in insertion order. */
  function remember(k: string, entry: { data: T; meta: Record<string, unknown> | null }) {
    cache.delete(k);
    cache.set(k, entry);
    while (cache.size > max) cache.delete(cache.keys().next().value as string);
  }

  async function load(k: string, loader: () => Promise<{ data: T; meta?: Record<string, unknown> }>, opts: { force?: boolean } = {}) {
    key.value = k;
    error.value = null;
    notFound.value = false;
    const hit = cache.get(k);
    if (hit && !opts.force) {
      remember(k, hit);
      data.value = hit.data;
      meta.value = hit.meta;
      loading.value = false;
      return;
    }
    if (!hit) {
      data.value = null;
      meta.value = null;
    }
    loading.value = true;
    try {
      const res = await loader();
      remember(k, { data: res.data, meta: res.meta ?? null });
      if (key.value === k) {
        data.value = res.data;
        meta.value = res.meta ?? null;
      }
    } catch (e) {
      if (key.value === k) {
        error.value = errorMessage(e);
        notFound.value = e instanceof ApiError && e.status === 404;
      }
    } finally {
      if (key.value === k) loading.value = false;
    }
  }

  function invalidate(prefix?: string) {
    if (!prefix) cache.clear();
    else for (const k of [...cache.keys()]) if (k.startsWith(prefix)) cache.delete(k);
  }

  return { data, meta, loading, error, notFound, key, load, invalidate };
}
