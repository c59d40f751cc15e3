import { describe, expect, it } from 'vitest';
import { describeParams, flattenParams, paramLabel, unflattenParams } from './params';

describe('rule params as fields', () => {
  it('round-trips nested params, lists, booleans and numbers', () => {
    const p = { bands: { yellow: '10', orange: '20', red: '30' }, graceUntil: '04-01', econCodes: ['30212', '30217'], on: true, n: 3 };
    const fields = flattenParams(p);
    expect(fields.map((f) => f.path)).toEqual(['bands.yellow', 'bands.orange', 'bands.red', 'graceUntil', 'econCodes', 'on', 'n']);
    expect(unflattenParams(fields)).toEqual(p);
    expect(describeParams({ bands: { red: '30' }, severity: 'orange' })).toEqual(['红色阈值 = 30', '预警等级 = 橙色']);
    expect(paramLabel('industries.工业.warning')).toBe('工业 预警线（%）');
  });
});
