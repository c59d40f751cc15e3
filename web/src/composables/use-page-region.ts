import { computed, watch } from 'vue';
import { useRoute } from 'vue-router';
import { useAuthStore } from '@/stores/auth';
import { useUiStore } from '@/stores/ui';

/**
 * The region a module page shows: ?region= from a link (an alert's drill link) when the user
 * may see it — it then becomes the switcher's region — else the switcher's region.
 */
export function usePageRegion() {
  const route = useRoute();
  const ui = useUiStore();
  const auth = useAuthStore();
  watch(
    () => route.query.region,
    (r) => {
      if (typeof r === 'string' && auth.user?.regionCodes.includes(r)) ui.regionCode = r;
    },
    { immediate: true },
  );
  return computed(() => ui.regionCode ?? auth.user!.regionCode);
}
