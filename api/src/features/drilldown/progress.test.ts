import { describe, expect, it } from 'vitest';
import { timeProgress } from './progress.js';

describe('time progress', () => {
  it('by days: 2025-09-30 → 273/365, leap years count 366', () => {
    expect(timeProgress(2025, '2025-09-30')).toMatchObject({ elapsed: 273, total: 365, percent2dp: '74.79' });
    expect(timeProgress(2025, '2025-09-30').rateExact).toBe('0.74794520547945205479');
    expect(timeProgress(2024, '2024-12-31')).toMatchObject({ elapsed: 366, total: 366, rateExact: '1', percent2dp: '100.00' });
    expect(timeProgress(2025, '2025-01-01')).toMatchObject({ elapsed: 1, total: 365 });
  });
  it('by months: completed months / 12', () => {
    expect(timeProgress(2025, '2025-09-30', 'months')).toMatchObject({ elapsed: 9, total: 12, percent2dp: '75.00' });
    expect(timeProgress(2025, '2025-09-29', 'months')).toMatchObject({ elapsed: 8 });
  });
  it('an as-of date outside the fiscal year clamps to none or all of it', () => {
    expect(timeProgress(2024, '2025-03-01')).toMatchObject({ elapsed: 366, total: 366 });
    expect(timeProgress(2026, '2025-12-31')).toMatchObject({ elapsed: 0, total: 365, percent2dp: '0.00' });
  });
});
