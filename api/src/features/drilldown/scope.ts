import type { Knex } from 'knex';
import { CONVENTION_FOR_REGION_SQL } from '../../rules/time-progress.js';
import type { Scope } from './contract.js';
import { regionsByLevel, regionTree } from '../../regions.js';

/**
 * 本级 (self): the region's own budget. 全辖 (all): the region and every region under it — 全市
 * for a city, 全省 for a province; a county has no region under it, so its 全县 is its 本级.
 */
export type { Scope };

export interface ScopeRegion {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
  parentCode: string | null;
  /** The region's latest committed delivery (its own 数据截至), null when it has none. */
  latest: string | null;
}

const ALL_WORD: Record<ScopeRegion['level'], string> = { province: '全省', city: '全市', county: '全县' };

/** The label every title, card, chart, file name and report heading carries: 漯河市本级, 漯河市全市, 河南省全省. */
export function scopeLabel(region: Pick<ScopeRegion, 'name' | 'level'>, scope: Scope): string {
  return `${region.name}${scope === 'all' ? ALL_WORD[region.level] : '本级'}`;
}

/** 全市 / 全省 / 本级: the scope's word alone, for prose ("全市一般公共预算收入…"). */
export function scopeWord(region: Pick<ScopeRegion, 'level'>, scope: Scope): string {
  return scope === 'all' ? ALL_WORD[region.level] : '本级';
}

/**
 * The regions a scope covers, the asked region first, each with its latest committed delivery:
 * self is the region alone; all is its whole subtree (the cached division tree). One query either way.
 */
export async function scopeRegions(knex: Knex, regionCode: string, scope: Scope): Promise<ScopeRegion[]> {
  return (await regionsQuery(knex, regionCode, scope, false)).regions;
}

/**
 * scopeRegions and, in the same round trip, the time-progress convention in force in the
 * region (null: none set anywhere): every drill answer needs both, and at province scale each
 * round trip saved is throughput (issue 19 item 5).
 */
export async function scopeRegionsAndConvention(knex: Knex, regionCode: string, scope: Scope): Promise<{ regions: ScopeRegion[]; convention: unknown }> {
  return regionsQuery(knex, regionCode, scope, true);
}

async function regionsQuery(knex: Knex, regionCode: string, scope: Scope, convention: boolean): Promise<{ regions: ScopeRegion[]; convention: unknown }> {
  const tree = await regionTree(knex);
  const top = tree.byCode.get(regionCode);
  const nodes = !top ? [] : scope === 'all' ? regionsByLevel(tree, regionCode) : [top];
  if (!nodes.length) return { regions: [], convention: null };
  // Each region's latest delivery changes with every load: read per request, one index probe
  // each (batches_latest_delivery), as one array in the regions' order.
  const { rows: [row] } = await knex.raw<{ rows: { latest: (string | null)[]; convention: unknown }[] }>(
    `select array(select to_char((select max(b.business_date) from batches b where b.region_code = p.code and b.status = 'committed'), 'YYYY-MM-DD')
                    from unnest(?::text[]) with ordinality as p(code, n) order by p.n) as latest,
            ${convention ? CONVENTION_FOR_REGION_SQL : 'null'} as convention`,
    convention ? [nodes.map((r) => r.code), regionCode] : [nodes.map((r) => r.code)],
  );
  return {
    regions: nodes.map((r, i) => ({ ...r, latest: row!.latest[i] ?? null })),
    convention: row!.convention ?? null,
  };
}

/** The codes of `code` and every region below it, within `regions` (a scope's tree). */
export function subtreeOf(regions: ScopeRegion[], code: string): string[] {
  const out = [code];
  for (let i = 0; i < out.length; i++) for (const r of regions) if (r.parentCode === out[i]) out.push(r.code);
  return out;
}
