import { ref } from 'vue';
import { errorMessage } from '@/api/client';

/**
 * A view's request with the loading and error state PageState shows: `load()` runs `fetch`
 * (which stores what it got) and keeps a failure's message; PageState's retry calls it again.
 */
export function useLoad(fetch: () => Promise<void>) {
  const loading = ref(false);
  const error = ref<string | null>(null);
  async function load() {
    loading.value = true;
    error.value = null;
    try {
      await fetch();
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      loading.value = false;
    }
  }
  return { loading, error, load };
}
