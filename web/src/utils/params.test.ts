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

  it('labels every parameter of every rule in Chinese, bands with what they measure', () => {
    expect(paramLabel('bands.yellow', 'R01')).toBe('黄色阈值（落后百分点）');
    expect(paramLabel('bands.orange', 'R16')).toBe('橙色阈值（闲置天数）');
    expect(describeParams({ bands: { yellow: '120' } }, 'R11')).toEqual(['黄色阈值（债务率 %） = 120']);
    // No internal name (an ASCII word) is left in any label of the rules' current parameters.
    const all: [string, Record<string, unknown>][] = [
      ['R01', { bands: { yellow: '10' }, graceUntil: '04-01', minProjectIndicator: '500000' }], ['R02', { tolerance: '0', severity: 'red' }],
      ['R04', { bands: { red: '50' } }], ['R05', { econCodes: [], overBudgetSeverity: 'red', growthSeverity: 'yellow', growthAbove: '0' }],
      ['R06', { bands: { yellow: '25' } }], ['R07', { bands: { yellow: '180' } }], ['R08', { funcClasses: [] }], ['R09', { bands: { yellow: '5' } }],
      ['R10', { minPercent: '1', maxPercent: '3' }], ['R12', { overLimitSeverity: 'red', nearLimitSeverity: 'yellow', nearLimitPercent: '95' }],
      ['R14', { bands: { yellow: '20' }, windowMonths: 12 }], ['R15', { industries: { 工业: { warning: '65', supervision: '70' } }, defaultIndustry: '非工业', categories: [], warningSeverity: 'orange', supervisionSeverity: 'red' }],
      ['R16', { bands: { yellow: '365' } }], ['R17', { seriousAfterDays: '90', seriousSeverity: 'red' }], ['R18', { minYears: 2 }],
    ];
    for (const [id, p] of all) for (const f of flattenParams(p)) expect([id, paramLabel(f.path, id)]).not.toEqual([id, expect.stringMatching(/[A-Za-z]{3,}/)]);
    for (const [id, p] of all) for (const f of flattenParams(p).filter((x) => x.path.startsWith('bands.'))) expect(paramLabel(f.path, id)).toMatch(/（.+）$/);
  });
});
