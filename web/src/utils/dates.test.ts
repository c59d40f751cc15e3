import { describe, expect, it } from 'vitest';
import { addDays, lastCompleteQuarter } from './dates';

describe('web calendar helpers', () => {
  it('adds days over month, year and leap-day ends', () => {
    expect(addDays('2026-12-20', 15)).toBe('2027-01-04');
    expect(addDays('2028-02-20', 9)).toBe('2028-02-29');
  });

  it('proposes the last quarter the data covers to its last day', () => {
    expect(lastCompleteQuarter('2026-11-20')).toBe('2026Q3');
    expect(lastCompleteQuarter('2026-09-30')).toBe('2026Q3');
    expect(lastCompleteQuarter('2026-09-29')).toBe('2026Q2');
    expect(lastCompleteQuarter('2026-12-31')).toBe('2026Q4');
    expect(lastCompleteQuarter('2027-01-01')).toBe('2026Q4');
    expect(lastCompleteQuarter('2028-02-29')).toBe('2027Q4');
    expect(lastCompleteQuarter('2026-03-31')).toBe('2026Q1');
    expect(lastCompleteQuarter('2026-06-30')).toBe('2026Q2');
  });
});
