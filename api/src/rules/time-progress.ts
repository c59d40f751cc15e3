import Decimal from 'decimal.js';
import type { Knex } from 'knex';
import { REGION_AND_ANCESTORS_SQL } from './settings.js';

/**
 * 时序进度: the share of the fiscal year elapsed at the as-of date, kept as an exact fraction
 * (elapsed / total) so SQL can divide in numeric and nothing is rounded before display.
 * - 'days' (default): elapsed days including the as-of date / days in the year (2025-09-30 → 273/365).
 * - 'months': completed months / 12 (2025-09-30 → 9/12; 2025-09-29 → 8/12), the convention of
 *   many published reports.
 */
export type TimeProgressConvention = 'days' | 'months';

export interface TimeProgress {
  convention: TimeProgressConvention;
  elapsed: number;
  total: number;
  /** 100 × elapsed / total, exact to 20 decimal places. */
  percent: string;
}

/** app_settings key holding the convention (value: "days" or "months"). */
export const TIME_PROGRESS_SETTING = 'time_progress_convention';

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export function timeProgress(asOf: string, convention: TimeProgressConvention = 'days'): TimeProgress {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(asOf);
  if (!m) throw new Error(`as-of date must be YYYY-MM-DD: ${asOf}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let elapsed: number;
  let total: number;
  if (convention === 'months') {
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    elapsed = day === lastDay ? month : month - 1;
    total = 12;
  } else {
    elapsed = Math.round((Date.UTC(year, month - 1, day) - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
    total = isLeap(year) ? 366 : 365;
  }
  return { convention, elapsed, total, percent: new Decimal(100).times(elapsed).div(total).toDecimalPlaces(20).toFixed() };
}

const asConvention = (v: unknown): TimeProgressConvention => (v === 'months' ? 'months' : 'days');

/**
 * The convention in force in a region: its own (region_settings), else the nearest region
 * above it that set one, else the default (app_settings), else 'days'. `regionCode` says where
 * it was set (null = the default).
 */
export async function timeProgressConventionFor(
  knex: Knex,
  regionCode?: string | null,
): Promise<{ convention: TimeProgressConvention; regionCode: string | null }> {
  if (regionCode) {
    const { rows: [own] } = await knex.raw<{ rows: { value: unknown; region_code: string }[] }>(
      `${REGION_AND_ANCESTORS_SQL}
       select s.value, s.region_code from region_settings s join up on up.code = s.region_code
        where s.key = ? order by up.depth limit 1`,
      [regionCode, TIME_PROGRESS_SETTING],
    );
    if (own) return { convention: asConvention(own.value), regionCode: own.region_code };
  }
  const row = await knex('app_settings').where({ key: TIME_PROGRESS_SETTING }).first('value');
  return { convention: asConvention(row?.value), regionCode: null };
}

export async function readTimeProgressConvention(knex: Knex, regionCode?: string | null): Promise<TimeProgressConvention> {
  return (await timeProgressConventionFor(knex, regionCode)).convention;
}

/** One SQL expression (jsonb) for the convention in force in the region bound to its `?`, for queries that want it in the same round trip. */
export const CONVENTION_FOR_REGION_SQL = `coalesce(
  (${REGION_AND_ANCESTORS_SQL}
   select s.value from region_settings s join up on up.code = s.region_code where s.key = '${TIME_PROGRESS_SETTING}' order by up.depth limit 1),
  (select value from app_settings where key = '${TIME_PROGRESS_SETTING}'))`;

/**
 * Sets a region's own convention (its regions below inherit it unless they set their own) and
 * records the change — the convention in force before (own or inherited), the new one, who, when.
 */
export async function setRegionTimeProgress(knex: Knex, regionCode: string, convention: TimeProgressConvention, userId: string | null) {
  await knex.transaction(async (trx) => {
    const before = await timeProgressConventionFor(trx, regionCode);
    await trx('region_settings')
      .insert({ region_code: regionCode, key: TIME_PROGRESS_SETTING, value: JSON.stringify(convention), updated_by: userId, updated_at: trx.fn.now() })
      .onConflict(['region_code', 'key'])
      .merge();
    await trx('region_setting_history').insert({
      region_code: regionCode, key: TIME_PROGRESS_SETTING, value_old: JSON.stringify(before.convention), value_new: JSON.stringify(convention), changed_by: userId,
    });
  });
}

/** The region's changes of convention, newest first (only its own: a region above has its own history). */
export async function timeProgressHistory(knex: Knex, regionCode: string) {
  const rows = await knex('region_setting_history as h')
    .leftJoin('users as u', 'u.id', 'h.changed_by')
    .where({ 'h.region_code': regionCode, 'h.key': TIME_PROGRESS_SETTING })
    .orderBy('h.id', 'desc')
    .select('h.value_old', 'h.value_new', 'h.changed_at', 'u.username', 'u.display_name');
  return rows.map((r) => ({
    from: r.value_old === null ? null : asConvention(r.value_old),
    to: asConvention(r.value_new),
    changedAt: new Date(r.changed_at).toISOString(),
    changedBy: r.username ? { username: r.username as string, displayName: (r.display_name ?? null) as string | null } : null,
  }));
}
