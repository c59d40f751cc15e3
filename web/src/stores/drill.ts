import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Query } from '@/api/client';
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

interface VoucherList {
  rows: VoucherRow[];
  total: { count: string; amount: string } | null;
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

  // Voucher list: keyset pages accumulate under one key (path + filters); a new key starts
  // again, a key seen before shows its pages at once. Bounded like the other resources.
  const voucherList = cachedResource<VoucherList>();
  const vouchers = computed<VoucherRow[]>(() => voucherList.data.value?.rows ?? []);
  const voucherMeta = computed(() => voucherList.meta.value as VoucherPageMeta | null);
  /** Count and sum of everything the filters select (sent with the first page only). */
  const voucherTotal = computed(() => voucherList.data.value?.total ?? null);

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
      await voucherList.load(key, async () => {
        const res = await drillApi.vouchers(q);
        return { data: { rows: res.data, total: res.meta?.total ?? null }, meta: res.meta };
      });
      return;
    }
    // The next page of the list shown: appended to its rows, the first page's total kept.
    const shown = voucherList.key.value === key ? voucherList.data.value : null;
    const cursor = voucherMeta.value?.nextCursor;
    if (!shown || !cursor) return;
    await voucherList.load(
      key,
      async () => {
        const res = await drillApi.vouchers({ ...q, cursor });
        return { data: { rows: [...shown.rows, ...res.data], total: shown.total }, meta: res.meta };
      },
      { force: true },
    );
  }

  async function loadVoucher(region: string, no: string, force = false) {
    await voucher.load(`${region}|${no}`, () => drillApi.voucher(region, no), { force });
  }

  return {
    breakdown, voucher, node, loadNode, names, loadBreakdown, ensureName,
    vouchers, voucherMeta, voucherTotal, vouchersLoading: voucherList.loading, vouchersError: voucherList.error, loadVouchers, loadVoucher,
  };
});
