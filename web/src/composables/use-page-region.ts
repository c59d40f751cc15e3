import { computed, watch } from 'vue';
import { useRoute } from 'vue-router';
import { useAuthStore } from '@/stores/auth';
import { useUiStore } from '@/stores/ui';
import { hasScopes, scopeLabel } from '@/utils/scope';
import type { Scope } from '@/api/drill';

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

/**
 * 本级 or 全辖 of the page's region: ?scope= from the URL when there is one (it then becomes the
 * switcher's), else the switcher's; always 本级 for a county. With the label the page shows.
 */
export function usePageScope() {
  const route = useRoute();
  const ui = useUiStore();
  const auth = useAuthStore();
  const region = usePageRegion();
  watch(
    () => route.query.scope,
    (s) => {
      if (s === 'all' || s === 'self') ui.scope = s;
    },
    { immediate: true },
  );
  const info = computed(() => auth.regions.find((r) => r.code === region.value));
  const scope = computed<Scope>(() => (ui.scope === 'all' && hasScopes(info.value) ? 'all' : 'self'));
  const label = computed(() => scopeLabel(info.value, scope.value));
  return { region, scope, label };
}
