import { defineStore } from 'pinia';
import { alertsApi, type Alert, type AlertDetail, type TransitionBody } from '@/api/alerts';
import type { Query } from '@/api/client';
import { cachedResource } from './cache';

/** Alert list (cached by filter key) and one alert's detail with events and opinions. */
export const useAlertStore = defineStore('alerts', () => {
  const list = cachedResource<Alert[]>();
  const detail = cachedResource<AlertDetail>();

  function loadList(q: Query, force = false) {
    const key = JSON.stringify(Object.entries(q).filter(([, v]) => v !== undefined && v !== '').sort());
    return list.load(key, () => alertsApi.list(q) as Promise<{ data: Alert[]; meta?: Record<string, unknown> }>, { force });
  }
  function loadDetail(id: string, force = false) {
    return detail.load(id, () => alertsApi.get(id), { force });
  }
  /** After any change the lists are stale. */
  async function transition(id: string, body: TransitionBody) {
    await alertsApi.transition(id, body);
    list.invalidate();
    await loadDetail(id, true);
  }
  async function addOpinion(id: string, body: string) {
    await alertsApi.addOpinion(id, body);
    await loadDetail(id, true);
  }
  async function answer(id: string, opinionId: string, text: string) {
    await alertsApi.answerOpinion(id, opinionId, text);
    await loadDetail(id, true);
  }

  return { list, detail, loadList, loadDetail, transition, addOpinion, answer };
});
