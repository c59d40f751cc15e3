import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ApiError } from '@/api/client';
import { authApi } from '@/api/auth';
import type { AuthUser, Me, Region } from '@/api/types';

const onPhone = () => typeof window !== 'undefined' && window.matchMedia('(max-width: 760px)').matches;

/** The signed-in user and the regions they may see (GET /api/v1/auth/me). */
export const useAuthStore = defineStore('auth', () => {
  const user = ref<AuthUser | null>(null);
  const regions = ref<Region[]>([]);
  const checked = ref(false);

  const role = computed(() => user.value?.role ?? null);
  /** Staff (and admins, as the server allows) review alerts and re-run loads; deputies are read-only. */
  const canAct = computed(() => role.value === 'staff' || role.value === 'admin');
  const canEditRules = computed(() => role.value === 'staff' || role.value === 'admin');
  const isDeputy = computed(() => role.value === 'deputy');
  const isAdmin = computed(() => role.value === 'admin');
  /** Where a signed-in user lands. */
  const isLiaison = computed(() => role.value === 'liaison');
  /** Staff and admins start at their 工作台 (what waits for them); deputies at the overview. */
  /** …and deputies on a phone at the phone home (代表首页), on a desktop at the overview. */
  const homePath = computed(() => (isLiaison.value ? '/liaison' : canAct.value ? '/inbox' : onPhone() ? '/m' : '/overview'));

  async function fetchMe(): Promise<boolean> {
    try {
      const { data } = await authApi.me();
      user.value = data.user;
      regions.value = data.regions;
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        user.value = null;
        regions.value = [];
        return false;
      }
      throw e;
    } finally {
      checked.value = true;
    }
  }

  async function login(username: string, password: string): Promise<void> {
    const { data } = await authApi.login(username, password);
    user.value = data.user;
    regions.value = data.regions;
    checked.value = true;
  }

  /** Signed in another way (a login code, a screen confirmed from a phone): the server's answer. */
  function signedIn(data: Me) {
    user.value = data.user;
    regions.value = data.regions;
    checked.value = true;
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout();
    } finally {
      clear();
    }
  }

  function clear() {
    user.value = null;
    regions.value = [];
  }

  function regionName(code: string | null | undefined): string {
    if (!code) return '';
    return regions.value.find((r) => r.code === code)?.name ?? code;
  }

  return { user, regions, checked, role, canAct, canEditRules, isDeputy, isAdmin, isLiaison, homePath, fetchMe, login, signedIn, logout, clear, regionName };
});
