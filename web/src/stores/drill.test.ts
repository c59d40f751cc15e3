import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { VoucherPageMeta, VoucherRow } from '@/api/drill';

// The server is out of this test: the drill API answers pages of made-up vouchers.
const vouchers = vi.fn();
vi.mock('@/api/drill', () => ({ drillApi: { vouchers: (q: Record<string, unknown>) => vouchers(q) } }));
const { useDrillStore } = await import('./drill');

const row = (no: string) => ({ voucherNo: no, amount: '1.00' }) as VoucherRow;
const meta = (nextCursor: string | null, total?: VoucherPageMeta['total']): VoucherPageMeta =>
  ({ asOf: '2025-09-30', fiscalYear: 2025, sort: 'date', order: 'desc', limit: 50, nextCursor, ...(total ? { total } : {}) });

describe('drill store: the voucher list', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vouchers.mockReset();
  });

  it('appends the next page under the same key and keeps the first page’s total', async () => {
    vouchers.mockResolvedValueOnce({ data: [row('A'), row('B')], meta: meta('c1', { count: '3', amount: '3.00' }) });
    vouchers.mockResolvedValueOnce({ data: [row('C')], meta: meta(null) });
    const drill = useDrillStore();
    await drill.loadVouchers({ region: '411100' }, {});
    await drill.loadVouchers({ region: '411100' }, {}, true);
    expect(drill.vouchers.map((v) => v.voucherNo)).toEqual(['A', 'B', 'C']);
    expect(vouchers.mock.calls[1]![0]).toMatchObject({ cursor: 'c1' });
    expect(drill.voucherTotal).toEqual({ count: '3', amount: '3.00' });
    expect(drill.voucherMeta?.nextCursor).toBeNull();
    // The last page reached: no further request.
    await drill.loadVouchers({ region: '411100' }, {}, true);
    expect(vouchers).toHaveBeenCalledTimes(2);
  });

  it('holds at most 50 lists: the least recently shown is fetched again', async () => {
    vouchers.mockImplementation(async (q: { payee: string }) => ({ data: [row(q.payee)], meta: meta(null, { count: '1', amount: '1.00' }) }));
    const drill = useDrillStore();
    const payees = Array.from({ length: 51 }, (_, i) => `p${i}`);
    for (const payee of payees) await drill.loadVouchers({ region: '411100' }, { payee });
    expect(vouchers).toHaveBeenCalledTimes(51);
    await drill.loadVouchers({ region: '411100' }, { payee: 'p50' });
    expect(vouchers).toHaveBeenCalledTimes(51);
    await drill.loadVouchers({ region: '411100' }, { payee: 'p0' });
    expect(vouchers).toHaveBeenCalledTimes(52);
    expect(drill.vouchers.map((v) => v.voucherNo)).toEqual(['p0']);
  });
});
