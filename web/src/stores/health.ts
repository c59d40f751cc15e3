import { defineStore } from 'pinia';
import { ref } from 'vue';

export interface Health {
  status: string;
  database: { status: string; latencyMs?: number };
  schema?: { version: string | null; pending: string[] };
}

export const useHealthStore = defineStore('health', () => {
  const health = ref<Health | null>(null);
  const error = ref<string | null>(null);
  async function load() {
    try {
      const res = await fetch('/api/health');
      health.value = (await res.json()) as Health;
      error.value = null;
    } catch (e) {
      error.value = (e as Error).message;
    }
  }
  return { health, error, load };
});
