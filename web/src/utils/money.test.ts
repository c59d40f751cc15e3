import { describe, expect, it } from 'vitest';
import { chartValue, compareDecimal, formatMoney, formatMoneyWithUnit, groupThousands, subtractMoney, sumMoney } from './money';

describe('formatMoney', () => {
  it('formats 元 with separators and 2 decimals from the string', () => {
    expect(formatMoney('1234567.5')).toBe('1,234,567.50');
    expect(formatMoney('0')).toBe('0.00');
    expect(formatMoney('-9876543.21')).toBe('-9,876,543.21');
    expect(formatMoney('999.995')).toBe('1,000.00');
  });
  it('keeps digits a JS number would lose', () => {
    expect(formatMoney('12345678901234567.89')).toBe('12,345,678,901,234,567.89');
    expect(formatMoney('0.1')).toBe('0.10');
  });
  it('converts to 万元 and 亿元 exactly, half-up', () => {
    expect(formatMoney('123456789.00', 'wan')).toBe('12,345.68');
    expect(formatMoney('123456789.00', 'yi')).toBe('1.23');
    expect(formatMoney('5000', 'wan')).toBe('0.50');
    expect(formatMoney('-49', 'wan')).toBe('0.00');
  });
  it('shows a dash for empty or invalid values', () => {
    expect(formatMoney(null)).toBe('—');
    expect(formatMoney(undefined)).toBe('—');
    expect(formatMoney('')).toBe('—');
    expect(formatMoney('abc')).toBe('—');
  });
  it('adds the unit label', () => {
    expect(formatMoneyWithUnit('10000', 'wan')).toBe('1.00 万元');
    expect(formatMoneyWithUnit('1', 'yuan')).toBe('1.00 元');
  });
});

describe('money arithmetic on strings', () => {
  it('sums exactly to the cent', () => {
    expect(sumMoney(['0.1', '0.2', '0.3'])).toBe('0.60');
    expect(sumMoney(['99999999999999.99', '0.01'])).toBe('100000000000000.00');
    expect(sumMoney([null, undefined, '', '5'])).toBe('5.00');
  });
  it('subtracts', () => {
    expect(subtractMoney('100.10', '0.2')).toBe('99.90');
  });
  it('compares', () => {
    expect(compareDecimal('10', '9.99')).toBe(1);
    expect(compareDecimal('-1', '0')).toBe(-1);
    expect(compareDecimal('1.0', '1')).toBe(0);
    expect(compareDecimal(null, '1')).toBe(-1);
  });
  it('groups thousands', () => {
    expect(groupThousands('1234')).toBe('1,234');
    expect(groupThousands('-123')).toBe('-123');
    expect(groupThousands('1234567.891')).toBe('1,234,567.891');
  });
  it('gives chart values in the unit', () => {
    expect(chartValue('123456789', 'wan')).toBe(12345.6789);
    expect(chartValue(null)).toBe(0);
  });
});
