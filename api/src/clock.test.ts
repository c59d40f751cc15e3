import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, draftUnderReviewYear, openingFiscalYear, parseBusinessDate, timeZoneOf, today, yesterday } from './clock.js';
import { loadConfig } from './config.js';

describe('the clock (api/src/clock.ts)', () => {
  it('dates "today" in BW_TZ, not in UTC', () => {
    const lateEvening = new Date('2026-12-05T23:30:00Z'); // 07:30 on the 6th in Beijing
    expect(today({}, lateEvening)).toBe('2026-12-06');
    expect(today({ BW_TZ: 'Asia/Shanghai' }, lateEvening)).toBe('2026-12-06');
    expect(today({ BW_TZ: 'UTC' }, lateEvening)).toBe('2026-12-05');
    expect(today({ BW_TZ: 'America/New_York' }, lateEvening)).toBe('2026-12-05');
    expect(today({}, new Date('2026-12-05T15:59:59Z'))).toBe('2026-12-05');
    expect(today({}, new Date('2026-12-05T16:00:00Z'))).toBe('2026-12-06');
  });

  it('yesterday is the latest date a T+1 delivery covers, across month, year and leap-day ends', () => {
    expect(yesterday({}, new Date('2026-12-05T23:30:00Z'))).toBe('2026-12-05');
    expect(yesterday({ BW_TODAY: '2027-01-01' })).toBe('2026-12-31');
    expect(yesterday({ BW_TODAY: '2028-03-01' })).toBe('2028-02-29');
    expect(yesterday({ BW_TODAY: '2027-03-01' })).toBe('2027-02-28');
  });

  it('BW_TODAY fixes the date whatever the instant and the zone', () => {
    expect(today({ BW_TODAY: '2028-02-29', BW_TZ: 'UTC' }, new Date('2026-12-05T23:30:00Z'))).toBe('2028-02-29');
    expect(today({ BW_TODAY: '' }, new Date('2026-12-05T23:30:00Z'))).toBe('2026-12-06'); // empty = unset
  });

  it('rejects a BW_TODAY that is not a real YYYY-MM-DD date, naming the variable and the value', () => {
    for (const bad of ['2027-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-1-5', '20261205', 'today', '2026-12-05T00:00']) {
      expect(() => today({ BW_TODAY: bad }), bad).toThrow(`环境变量 BW_TODAY 必须是 YYYY-MM-DD 格式的真实日期，收到 "${bad}"`);
    }
    expect(parseBusinessDate('2028-02-29', 'x')).toBe('2028-02-29');
    expect(parseBusinessDate('2026-12-31', 'x')).toBe('2026-12-31');
  });

  it('loadConfig stops on a bad BW_TODAY or BW_TZ before anything starts', () => {
    expect(() => loadConfig({ BW_TODAY: '2026-02-30' })).toThrow(/BW_TODAY.*"2026-02-30"/);
    expect(() => loadConfig({ BW_TZ: 'Mars/Olympus' })).toThrow(/BW_TZ.*"Mars\/Olympus"/);
    expect(loadConfig({ BW_TODAY: '2028-02-29' }).timeZone).toBe('Asia/Shanghai');
    expect(timeZoneOf({ BW_TZ: 'Europe/Berlin' })).toBe('Europe/Berlin');
  });

  it('adds days and counts them over leap days and year ends', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-02-29', 1)).toBe('2028-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(daysBetween('2028-02-01', '2028-03-01')).toBe(29);
    expect(daysBetween('2026-12-05', '2026-12-01')).toBe(-4);
  });

  it('opens the dashboard on the previous year in January–March, on the as-of year from April', () => {
    expect(openingFiscalYear('2027-01-01')).toBe(2026);
    expect(openingFiscalYear('2027-03-31')).toBe(2026);
    expect(openingFiscalYear('2027-04-01')).toBe(2027);
    expect(openingFiscalYear('2026-12-31')).toBe(2026);
    expect(openingFiscalYear('2028-02-29')).toBe(2027);
  });

  it('has next year\'s budget draft under review from 1 October to 31 December, none before', () => {
    expect(draftUnderReviewYear('2026-09-30')).toBeNull();
    expect(draftUnderReviewYear('2026-10-01')).toBe(2027);
    expect(draftUnderReviewYear('2026-12-31')).toBe(2027);
    expect(draftUnderReviewYear('2027-01-01')).toBeNull();
    expect(draftUnderReviewYear('2026-06-30')).toBeNull();
  });
});
