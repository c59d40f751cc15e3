import type { Request } from 'express';
import type { Knex } from 'knex';
import { today } from '../clock.js';
import { latestBusinessDate } from '../features/drilldown/queries.js';
import { assertRegionVisible } from './auth.js';

/** The region a request names (default: the user's own); 403 when outside the user's scope. */
export function scopedRegion(req: Request, region: string | undefined): string {
  const code = region ?? req.user!.regionCode;
  assertRegionVisible(req, code);
  return code;
}

/** The as-of date a module page uses: the one asked for, else the region's latest committed delivery, else today. */
export async function asOfFor(knex: Knex, regionCode: string, asOf?: string): Promise<string> {
  if (asOf) return asOf;
  return (await latestBusinessDate(knex, regionCode)) ?? today();
}
