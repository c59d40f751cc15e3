import type { Scope } from '@/api/drill';

const ALL_WORD: Record<string, string> = { province: '全省', city: '全市', county: '全县' };

/** 漯河市本级 / 漯河市全市 / 河南省全省: the words every title and label carries (the server's scopeLabel). */
export function scopeLabel(region: { name: string; level: string } | undefined, scope: Scope): string {
  if (!region) return '';
  return `${region.name}${scope === 'all' ? (ALL_WORD[region.level] ?? '全辖') : '本级'}`;
}

/** A county has no region under it: its 全县 is its 本级, so it is offered once. */
export const hasScopes = (region: { level: string } | undefined) => !!region && region.level !== 'county';
