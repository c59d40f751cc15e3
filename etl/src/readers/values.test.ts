import { describe, expect, it } from 'vitest';
import type { ColumnDef } from '../feeds/index.js';
import { amountToCents, centsToAmount, normaliseAmount, normaliseDate, parseField } from './values.js';

describe('amounts', () => {
  it.each([
    ['1234567.89', '1234567.89'], ['1,234,567.89', '1234567.89'], ['-12.5', '-12.5'], ['0', '0'],
    ['-1,000', '-1000'], ['9999999999999999.99', '9999999999999999.99'],
  ])('accepts %s', (text, want) => expect(normaliseAmount(text)).toBe(want));

  it.each(['12.345', '1.2e6', 'abc', '', '12,34', '1,,000', '1,0000.00', '+5', '.5', '5.', '12 345', '10000000000000000', '１２'])(
    'rejects %s',
    (text) => expect(normaliseAmount(text)).toBeNull(),
  );

  it('sums exactly in cents', () => {
    expect(amountToCents('-12.5')).toBe(-1250n);
    expect(amountToCents('0.07')).toBe(7n);
    expect(amountToCents('9999999999999999.99')).toBe(999999999999999999n);
    expect(centsToAmount(amountToCents('0.1') + amountToCents('0.2'))).toBe('0.30');
    expect(centsToAmount(-5n)).toBe('-0.05');
  });
});

describe('dates', () => {
  it.each([
    ['2025-09-30', '2025-09-30'], ['2025/09/30', '2025-09-30'], ['20250930', '2025-09-30'], ['2024-02-29', '2024-02-29'],
    ['2025/9/1', '2025-09-01'], ['2025-9-1', '2025-09-01'], ['2025-09-1', '2025-09-01'], ['2025/12/31', '2025-12-31'],
    ['2025年9月1日', '2025-09-01'], ['2025年09月30日', '2025-09-30'], ['2024年2月29日', '2024-02-29'],
  ])(
    'accepts %s',
    (text, want) => expect(normaliseDate(text)).toBe(want),
  );
  it.each([
    '2025-02-29', '2025-13-01', '2025-04-31', '30/09/2025', '2025.09.30', '1900-02-29', 'yesterday', '2025/9/31', '2025-0-1',
    '2025年2月29日', '2025年9月1', '2025年9月1日 ', '25年9月1日', '2025/009/01', '2025-9/1', '2025年13月1日',
  ])('rejects %s', (text) =>
    expect(normaliseDate(text)).toBeNull(),
  );
});

describe('parseField', () => {
  const col = (c: Partial<ColumnDef>): ColumnDef => ({ key: 'x', zh: ['x'], type: 'text', ...c });
  it('requires required fields and nulls empty optional ones', () => {
    expect(parseField(col({ required: true }), '')).toMatchObject({ ok: false });
    expect(parseField(col({}), '')).toEqual({ ok: true, value: null });
  });
  it('checks enums, patterns, integer ranges and rates', () => {
    expect(parseField(col({ type: 'enum', values: ['1', '2'] }), '3').ok).toBe(false);
    expect(parseField(col({ type: 'code', pattern: /^\d{3}$/ }), '2050').ok).toBe(false);
    expect(parseField(col({ type: 'int', min: 1, max: 12 }), '13').ok).toBe(false);
    expect(parseField(col({ type: 'int', min: 1, max: 12 }), '012')).toEqual({ ok: true, value: '12' });
    expect(parseField(col({ type: 'rate' }), '2.85')).toEqual({ ok: true, value: '2.85' });
    expect(parseField(col({ type: 'rate' }), '2.85%').ok).toBe(false);
  });
});
