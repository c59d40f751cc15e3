import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { MoneyUnit } from '@/utils/money';

const UNIT_KEY = 'bw.moneyUnit';
const REGION_KEY = 'bw.region';
const SCOPE_KEY = 'bw.scope';

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Global display settings: money unit and the region being looked at. */
export const useUiStore = defineStore('ui', () => {
  const initialUnit = stored(UNIT_KEY);
  const moneyUnit = ref<MoneyUnit>(initialUnit === 'yuan' || initialUnit === 'wan' || initialUnit === 'yi' ? initialUnit : 'wan');
  const regionCode = ref<string | null>(stored(REGION_KEY));
  /** 本级 (self) or 全辖 (all) of that region; the URL's ?scope= sets it. */
  const scope = ref<'self' | 'all'>(stored(SCOPE_KEY) === 'all' ? 'all' : 'self');
  const menuOpen = ref(false);

  watch(moneyUnit, (u) => {
    try {
      localStorage.setItem(UNIT_KEY, u);
    } catch {
      /* private mode */
    }
  });
  watch(scope, (s) => {
    try {
      localStorage.setItem(SCOPE_KEY, s);
    } catch {
      /* private mode */
    }
  });
  watch(regionCode, (r) => {
    try {
      if (r) localStorage.setItem(REGION_KEY, r);
    } catch {
      /* private mode */
    }
  });

  /** Keep the region inside what the user may see; default to the user's own region. */
  function ensureRegion(visible: string[], own: string) {
    if (!regionCode.value || !visible.includes(regionCode.value)) regionCode.value = own;
  }

  return { moneyUnit, regionCode, scope, menuOpen, ensureRegion };
});
