import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { errorMessage, type Query } from '@/api/client';
import { drillApi, type Summary, type Breakdown, type VoucherLineage, type VoucherPageMeta, type VoucherRow } from '@/api/drill';
import { apiFilters, type DrillPath, type DrillView } from '@/router/drill-path';
import { cachedResource } from './cache';

export interface VoucherFilters {
  dateFrom?: string;
  dateTo?: string;
  payee?: string;
  amountMin?: string;
  amountMax?: string;
  unmatched?: boolean;
  sort?: 'date' | 'amount';
  order?: 'asc' | 'desc';
}

const stableKey = (o: Record<string, unknown>) =>
  JSON.stringify(Object.keys(o).sort().reduce<Record<string, unknown>>((acc, k) => ((acc[k] = o[k]), acc), {}));

/** Drill-down data, cached by route key (level + path + filters). */
export const useDrillStore = defineStore('drill', () => {
  const breakdown = cachedResource<Breakdown>();
  const voucher = cachedResource<VoucherLineage>();
  /** The current node's own figures (summary under the path's filters). */
  const node = cachedResource<Summary>();

  async function loadNode(path: DrillPath, force = false) {
    const q = apiFilters(path);
    await node.load(`node|${stableKey(q)}`, () => drillApi.summary(q), { force });
  }
  /** Names of codes seen in any breakdown (`dept:411100101` → 教育局), for the breadcrumb. */
  const names = ref<Record<string, string>>({});

  function remember(level: string, b: Breakdown) {
    const kind = { departments: 'dept', units: 'unit', functions: 'func', economics: 'econ', indicators: 'indicator', regions: 'region', 'fund-types': 'fund' }[level];
    if (!kind) return;
    const next = { ...names.value };
    for (const r of b.rows) if (r.code) next[`${kind}:${r.code}`] = r.name;
    names.value = next;
  }

  async function loadBreakdown(level: Exclude<DrillView, 'vouchers'>, path: DrillPath, extra: Query = {}, force = false) {
    const q = { ...apiFilters(path), ...extra };
    const key = `${level}|${stableKey(q)}`;
    await breakdown.load(
      key,
      async () => {
        const res = await drillApi.breakdown(level, q);
        remember(level, res.data);
        return res;
      },
      { force },
    );
  }

  /** Fetch (without showing) a parent level to learn the name of `code`. */
  const nameRequests = new Map<string, Promise<void>>();
  function ensureName(kind: string, code: string, parent: DrillPath) {
    const k = `${kind}:${code}`;
    if (names.value[k] || nameRequests.has(k)) return;
    const level = { dept: 'departments', unit: 'units', func: 'functions', econ: 'economics', indicator: 'indicators', fund: 'fund-types' }[kind] as Exclude<DrillView, 'vouchers' | 'regions'> | undefined;
    if (!level) return;
    const q: Query = { ...apiFilters(parent) };
    if (kind === 'func' || kind === 'econ') q.codeLength = code.length;
    const p = drillApi
      .breakdown(level, q)
      .then((res) => remember(level, res.data))
      .catch(() => undefined);
    nameRequests.set(k, p);
  }

  // Voucher list: keyset pages accumulate for one key; a new key starts again.
  const vouchers = shallowRef<VoucherRow[]>([]);
  const voucherMeta = shallowRef<VoucherPageMeta | null>(null);
  const voucherTotal = shallowRef<{ count: string; amount: string } | null>(null);
  const vouchersLoading = ref(false);
  const vouchersError = ref<string | null>(null);
  const voucherKey = ref<string | null>(null);
  const voucherCache = new Map<string, { rows: VoucherRow[]; meta: VoucherPageMeta; total: { count: string; amount: string } | null }>();

  async function loadVouchers(path: DrillPath, f: VoucherFilters, more = false) {
    const q: Query = {
      ...apiFilters(path),
      dateFrom: f.dateFrom,
      dateTo: f.dateTo,
      payee: f.payee,
      amountMin: f.amountMin,
      amountMax: f.amountMax,
      unmatched: f.unmatched ? 'true' : undefined,
      sort: f.sort ?? 'date',
      order: f.order ?? 'desc',
      limit: 50,
    };
    const key = stableKey(q);
    if (!more) {
      voucherKey.value = key;
      vouchersError.value = null;
      const hit = voucherCache.get(key);
      if (hit) {
        vouchers.value = hit.rows;
        voucherMeta.value = hit.meta;
        voucherTotal.value = hit.total;
        return;
      }
      vouchers.value = [];
      voucherMeta.value = null;
      voucherTotal.value = null;
    } else if (!voucherMeta.value?.nextCursor) return;
    vouchersLoading.value = true;
    try {
      const res = await drillApi.vouchers(more ? { ...q, cursor: voucherMeta.value!.nextCursor! } : q);
      if (voucherKey.value !== key) return;
      vouchers.value = more ? [...vouchers.value, ...res.data] : res.data;
      voucherMeta.value = res.meta ?? null;
      if (res.meta?.total) voucherTotal.value = res.meta.total;
      voucherCache.set(key, { rows: vouchers.value, meta: voucherMeta.value!, total: voucherTotal.value });
    } catch (e) {
      if (voucherKey.value === key) vouchersError.value = errorMessage(e);
    } finally {
      if (voucherKey.value === key) vouchersLoading.value = false;
    }
  }

  async function loadVoucher(region: string, no: string, force = false) {
    await voucher.load(`${region}|${no}`, () => drillApi.voucher(region, no), { force });
  }

  return { breakdown, voucher, node, loadNode, names, loadBreakdown, ensureName, vouchers, voucherMeta, voucherTotal, vouchersLoading, vouchersError, loadVouchers, loadVoucher };
});
