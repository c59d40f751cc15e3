import { describe, expect, it } from 'vitest';
import { buildUrl } from './client';

describe('buildUrl', () => {
  it('prefixes /api/v1 and drops empty query values', () => {
    expect(buildUrl('/drill/summary', { region: '411100', dept: '', x: undefined, n: 2 })).toBe('/api/v1/drill/summary?region=411100&n=2');
    expect(buildUrl('/api/health')).toBe('/api/health');
    expect(buildUrl('/alerts', { status: ['new', 'confirmed'] })).toBe('/api/v1/alerts?status=new&status=confirmed');
  });
});
