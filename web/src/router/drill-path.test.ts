import { describe, expect, it } from 'vitest';
import { apiFilters, childPath, drillHref, fromFlatQuery, parseSegments, stickyQuery, viewsFor } from './drill-path';

describe('drill path in the URL', () => {
  it('round-trips a path through segments', () => {
    const p = parseSegments('411100', ['dept', '411100101', 'unit', '411100101001', 'func', '2050202', 'indicator', 'ZB-1']);
    expect(p).toEqual({ region: '411100', dept: '411100101', unit: '411100101001', func: '2050202', indicator: 'ZB-1' });
    expect(drillHref(p)).toBe('/drill/411100/dept/411100101/unit/411100101001/func/2050202/indicator/ZB-1');
    expect(apiFilters(p)).toEqual({ region: '411100', dept: '411100101', unit: '411100101001', func: '2050202', indicator: 'ZB-1', scope: 'self' });
  });
  it('ignores unknown keys and keeps canonical order', () => {
    expect(drillHref(parseSegments('411100', ['unit', 'U', 'bogus', 'x', 'dept', 'D']))).toBe('/drill/411100/dept/D/unit/U');
  });
  it('turns an alert drill link (flat query) into a path and filters', () => {
    expect(fromFlatQuery({ region: '411121', dept: 'D', unit: 'U', dateFrom: '2025-03-01', dateTo: '2025-03-01', noIndicator: '1' }, '411100')).toEqual({
      path: '/drill/411121/dept/D/unit/U',
      query: { dateFrom: '2025-03-01', dateTo: '2025-03-01', unmatched: '1', view: 'vouchers' },
    });
    expect(fromFlatQuery({ dept: 'D' }, '411100').path).toBe('/drill/411100/dept/D');
  });
  it('offers one level down first', () => {
    expect(viewsFor({ region: 'r' })[0]).toBe('departments');
    expect(viewsFor({ region: 'r', dept: 'd' })[0]).toBe('units');
    expect(viewsFor({ region: 'r', dept: 'd', unit: 'u' })[0]).toBe('functions');
    expect(viewsFor({ region: 'r', func: '205' })[0]).toBe('functions');
    expect(viewsFor({ region: 'r', func: '2050202' })[0]).toBe('indicators');
    expect(viewsFor({ region: 'r', indicator: 'i' })).toEqual(['vouchers']);
    expect(childPath({ region: 'r', func: '205' }, 'functions', '20502')).toEqual({ region: 'r', func: '20502', funcExact: undefined });
  });
  it('drills a row coded to the 类 itself exactly (no loop into its 款)', () => {
    const p = childPath({ region: 'r' }, 'functions', '205', true);
    expect(p.funcExact).toBe(true);
    expect(viewsFor(p)[0]).toBe('indicators');
    expect(apiFilters(p)).toEqual({ region: 'r', func: '205', funcExact: 'true', scope: 'self' });
    expect(stickyQuery({ ...p, fy: '2025' })).toEqual({ fy: '2025', funcExact: '1' });
  });
});
