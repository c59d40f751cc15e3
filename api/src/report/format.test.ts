import { describe, expect, it } from 'vitest';
import { contentDisposition } from '../features/reports/service.js';
import { D } from './decimal.js';
import { gapPhrase, growthPhrase, groupThousands, pct, points, wan, yi } from './format.js';
import { periodLabel } from './prose.js';
import { nextQuarter, parseQuarter, sameDayLastYear } from './quarter.js';
import { readZip, writeZip } from './zip-package.js';

describe('report number formats', () => {
  it('rounds half-up from the exact decimal: 亿元 and 万元 with 2 decimals', () => {
    expect(yi('123456789.00')).toBe('1.23');
    expect(yi('125000000.00')).toBe('1.25');
    expect(yi('1235000000.00')).toBe('12.35');
    expect(yi('-1235000000.00')).toBe('-12.35');
    expect(wan('12345678.50')).toBe('1,234.57');
    expect(wan('1234567890123.45')).toBe('123,456,789.01');
    expect(wan('0')).toBe('0.00');
    // Digits a float would lose: 9,007,199,254,740,993.01 yuan.
    expect(wan('9007199254740993.01')).toBe('900,719,925,474.10');
    expect(groupThousands('-1234567.8')).toBe('-1,234,567.8');
  });

  it('formats percentages and percentage points with 2 decimals', () => {
    expect(pct(D(273).div(365))).toBe('74.79');
    expect(pct(undefined)).toBe('—');
    expect(points(D('-0.18672'))).toBe('-18.67');
    expect(points(D('0.05125'))).toBe('+5.13');
    expect(points(D('-0.00001'))).toBe('0.00');
  });

  it('says behind/ahead of time progress and growth in words', () => {
    expect(gapPhrase(D('-0.05'))).toBe('低于时序进度5.00个百分点');
    expect(gapPhrase(D('0.1234'))).toBe('高于时序进度12.34个百分点');
    expect(gapPhrase(D('0.00004'))).toBe('与时序进度持平');
    expect(growthPhrase(D('0.0625'))).toBe('同比增长6.25%');
    expect(growthPhrase(D('-0.1'))).toBe('同比下降10.00%');
    expect(growthPhrase(undefined)).toBe('上年同期无可比数据');
  });
});

describe('quarters and periods', () => {
  it('parses quarters and names the period', () => {
    expect(parseQuarter('2025Q3')).toMatchObject({ year: 2025, q: 3, start: '2025-07-01', end: '2025-09-30' });
    expect(parseQuarter('2024q1')).toMatchObject({ start: '2024-01-01', end: '2024-03-31' });
    expect(parseQuarter('2025Q5')).toBeUndefined();
    expect(nextQuarter(parseQuarter('2025Q4')!).key).toBe('2026Q1');
    expect(periodLabel('2025-09-30')).toBe('1—9月');
    expect(periodLabel('2025-01-31')).toBe('1月');
    expect(periodLabel('2025-08-15')).toBe('1月1日—8月15日');
    expect(sameDayLastYear('2024-02-29')).toBe('2023-02-28');
  });
});

describe('docx package helpers', () => {
  it('round-trips a zip and stamps every entry with the same time', () => {
    const entries = [
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'word/document.xml', data: Buffer.from('<w:document>预算执行</w:document>'.repeat(50)) },
    ];
    const a = writeZip(entries, '2025-09-30');
    expect(writeZip(entries, '2025-09-30').equals(a)).toBe(true);
    expect(writeZip(entries, '2025-10-01').equals(a)).toBe(false);
    expect(readZip(a).map((e) => [e.name, e.data.toString()])).toEqual(entries.map((e) => [e.name, e.data.toString()]));
  });

  it('names the download in UTF-8 with an ASCII fallback', () => {
    const cd = contentDisposition('漯河市2025年第三季度预算执行情况报告（截至2025-09-30）.docx');
    expect(cd).toMatch(/^attachment; filename="[\x20-\x7e]+\.docx"; filename\*=UTF-8''/);
    expect(decodeURIComponent(cd.split("UTF-8''")[1]!)).toBe('漯河市2025年第三季度预算执行情况报告（截至2025-09-30）.docx');
  });
});
