import { describe, expect, it } from 'vitest';
import { daysBetween, formatCount, formatDate, formatPercent, formatPoints, progressGapText } from './format';

describe('formatPercent', () => {
  it('formats ratios and percents with 2 decimals', () => {
    expect(formatPercent('0.412')).toBe('41.20%');
    expect(formatPercent('0.747945')).toBe('74.79%');
    expect(formatPercent('74.795', 'percent')).toBe('74.80%');
    expect(formatPercent('1.2')).toBe('120.00%');
    expect(formatPercent(null)).toBe('—');
    expect(formatPercent('-0.00001')).toBe('0.00%');
  });
  it('formats percentage points', () => {
    expect(formatPoints('33.59')).toBe('33.59 个百分点');
  });
});

describe('dates and counts', () => {
  it('formats dates as YYYY-MM-DD', () => {
    expect(formatDate('2025-09-30')).toBe('2025-09-30');
    expect(formatDate(new Date(2025, 0, 5))).toBe('2025-01-05');
    expect(formatDate(null)).toBe('—');
  });
  it('counts days and formats counts', () => {
    expect(daysBetween('2025-01-01', '2025-12-31')).toBe(364);
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});

describe('progressGapText', () => {
  it('says behind, ahead or level, never a negative "behind"', () => {
    expect(progressGapText('2.28')).toBe('落后时序进度 2.28 个百分点');
    expect(progressGapText('-0.28')).toBe('超前时序进度 0.28 个百分点');
    expect(progressGapText('0.00')).toBe('与时序进度持平');
    expect(progressGapText(null)).toBeUndefined();
  });
});
