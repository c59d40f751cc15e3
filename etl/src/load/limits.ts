import type { Knex } from 'knex';
import type { ColumnDef } from '../feeds/index.js';
import { amountToCents, Invalid, type FieldParser } from '../readers/values.js';

/**
 * Plausibility limits a syntactically valid value must also meet, else its row is
 * quarantined with the limit in the reason. A voucher of 9,999,999,999,999,999.99 yuan is a
 * legal numeric(18,2) but no real payment, and once loaded it overflowed every aggregate
 * refresh after it; a 50 MB payee name made every voucher list of its region 50 MB.
 *
 * Settings (app_settings key `etl_limits`, JSON, any subset; defaults below):
 *   amountLimit       |amount| must be below this many yuan            (10000000000000 = 10^13)
 *   dateMin           earliest date of any date column                 (2000-01-01)
 *   dateYearsAhead    an event date (pay date, issue date, …) at most this many years after the
 *                     bundle's business date                            (1)
 *   scheduleYearsAhead a scheduled date (maturity, repayment due date, rectification deadline)
 *                     at most this many years after the business date   (50)
 * Field lengths are part of the feed declaration (`maxLength`, DEFAULT_MAX_LENGTH by type).
 */
export const LIMITS_SETTING = 'etl_limits';

export interface EtlLimits {
  amountLimit: string;
  dateMin: string;
  dateYearsAhead: number;
  scheduleYearsAhead: number;
}

export const DEFAULT_LIMITS: EtlLimits = { amountLimit: '10000000000000', dateMin: '2000-01-01', dateYearsAhead: 1, scheduleYearsAhead: 50 };

/** Characters a field may hold, by column type, unless the column declares its own `maxLength`. */
export const DEFAULT_MAX_LENGTH: Record<ColumnDef['type'], number> = { text: 500, code: 100, int: 100, amount: 100, rate: 100, score: 100, date: 100, enum: 100 };

/** Raw cells kept in quarantine.raw are cut to this many characters (the reason says how long they were). */
export const RAW_CELL_CHARS = 2000;

export function clipRaw(text: string): string {
  return text.length > RAW_CELL_CHARS ? `${text.slice(0, RAW_CELL_CHARS)}…（共 ${text.length} 个字符，已截断）` : text;
}

export async function loadLimits(knex: Knex): Promise<EtlLimits> {
  const row = await knex('app_settings').where({ key: LIMITS_SETTING }).first('value');
  return parseLimits(row?.value ?? {});
}

export function parseLimits(value: unknown): EtlLimits {
  const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const out = { ...DEFAULT_LIMITS };
  const bad = (k: string) => new Error(`设置 ${LIMITS_SETTING}.${k} 的值不正确：${JSON.stringify(v[k])}`);
  if (v.amountLimit !== undefined) {
    const a = String(v.amountLimit);
    if (!/^\d{1,30}(\.\d{1,2})?$/.test(a) || amountToCents(a) <= 0n) throw bad('amountLimit');
    out.amountLimit = a;
  }
  if (v.dateMin !== undefined) {
    if (typeof v.dateMin !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v.dateMin)) throw bad('dateMin');
    out.dateMin = v.dateMin;
  }
  for (const k of ['dateYearsAhead', 'scheduleYearsAhead'] as const) {
    if (v[k] === undefined) continue;
    if (!Number.isInteger(v[k]) || (v[k] as number) < 0 || (v[k] as number) > 1000) throw bad(k);
    out[k] = v[k] as number;
  }
  return out;
}

function addYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  const md = date.slice(5);
  // 29 February of a leap year + n years lands on 28 February when that year has none.
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return `${String(y).padStart(4, '0')}-${md === '02-29' && !leap ? '02-28' : md}`;
}

const fmtYuan = (a: string) => a.replace(/^(\d+)(\.\d+)?$/, (_, i: string, d = '') => i.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + d);

export interface ColumnLimits {
  maxLength: number;
  /** Reason a value that parsed is still implausible, or null; absent for columns without a range. */
  range?: (value: string) => Invalid | null;
}

/**
 * A column's limits for one bundle. The stage checks the length before parsing (so a 50 MB
 * cell is never parsed or echoed into a reason) and the range after; kept apart from the
 * parser so the 10 of a voucher's 14 columns without a range cost one comparison.
 */
export function columnLimits(col: ColumnDef, limits: EtlLimits, businessDate: string): ColumnLimits {
  const maxLength = col.maxLength ?? DEFAULT_MAX_LENGTH[col.type];
  if (col.type === 'amount') {
    const limitCents = amountToCents(limits.amountLimit);
    const limitDigits = limits.amountLimit.split('.')[0].length;
    return {
      maxLength,
      range: (v) => {
        const dot = v.indexOf('.');
        const intDigits = (dot < 0 ? v.length : dot) - (v.charCodeAt(0) === 45 ? 1 : 0);
        if (intDigits < limitDigits - 1) return null; // fewer digits than the limit: below it, no BigInt needed
        const c = amountToCents(v);
        return (c < 0n ? -c : c) < limitCents ? null : new Invalid('AMOUNT_OUT_OF_RANGE', `金额 ${v} 超出合理范围（绝对值应小于 ${fmtYuan(limits.amountLimit)} 元）`);
      },
    };
  }
  if (col.type === 'date') {
    const max = addYears(businessDate, col.schedule ? limits.scheduleYearsAhead : limits.dateYearsAhead);
    return { maxLength, range: (v) => (v >= limits.dateMin && v <= max ? null : new Invalid('DATE_OUT_OF_RANGE', `日期 ${v} 超出合理范围（${limits.dateMin} 至 ${max}）`)) };
  }
  return { maxLength };
}

export const tooLong = (text: string, maxLength: number) => new Invalid('TOO_LONG', `长度 ${text.length} 个字符，超过上限 ${maxLength} 个字符`);

/** The column's parser with its limits around it (length, parse, range): what the stage does inline. */
export function limitColumn(col: ColumnDef, parse: FieldParser, limits: EtlLimits, businessDate: string): FieldParser {
  const { maxLength, range } = columnLimits(col, limits, businessDate);
  return (text) => {
    if (text.length > maxLength) return tooLong(text, maxLength);
    const v = parse(text);
    if (v === null || v instanceof Invalid || !range) return v;
    return range(v) ?? v;
  };
}
