import type { Request } from 'express';
import type { Knex } from 'knex';
import { today } from '../clock.js';
import { latestBusinessDate } from '../features/drilldown/queries.js';
import { scopeLabel, scopeRegions, type Scope } from '../features/drilldown/scope.js';
import { assertRegionVisible } from './auth.js';

/** The region a request names (default: the user's own); 403 when outside the user's scope. */
export function scopedRegion(req: Request, region: string | undefined): string {
  const code = region ?? req.user!.regionCode;
  assertRegionVisible(req, code);
  return code;
}

/** The as-of date a module page uses: the one asked for, else the latest committed delivery of the region(s), else today. */
export async function asOfFor(knex: Knex, regionCode: string | string[], asOf?: string): Promise<string> {
  if (asOf) return asOf;
  return (await latestBusinessDate(knex, regionCode)) ?? today();
}

/**
 * The regions a module request covers: the region asked for (default the user's own) alone for
 * 本级, or with every region under it for 全辖 (scope=all) — within the user's scope either way.
 */
export async function scopedRegions(knex: Knex, req: Request, region: string | undefined, scope: Scope | undefined): Promise<{ region: string; codes: string[] }> {
  const code = scopedRegion(req, region);
  if (scope !== 'all') return { region: code, codes: [code] };
  return { region: code, codes: (await scopeRegions(knex, code, 'all')).map((r) => r.code) };
}

/** 漯河市本级 / 漯河市全市 for a request's region and scope: file names and titles. */
export async function requestScopeLabel(knex: Knex, req: Request, region: string | undefined, scope: Scope | undefined): Promise<string> {
  const code = scopedRegion(req, region);
  const r = await knex('regions').where({ code }).first<{ name: string; level: 'province' | 'city' | 'county' } | undefined>('name', 'level');
  return r ? scopeLabel(r, scope ?? 'self') : code;
}

/** Lists over every region of the user when none is named; else the region (本级) or its whole subtree (全辖). */
export async function listRegions(knex: Knex, req: Request, q: { region?: string; scope?: Scope }): Promise<string[]> {
  return q.region ? (await scopedRegions(knex, req, q.region, q.scope)).codes : req.user!.regionCodes;
}
