import Decimal from 'decimal.js';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { TimeProgress } from './time-progress.js';

export type Severity = 'yellow' | 'orange' | 'red';
export const SEVERITIES: readonly Severity[] = ['yellow', 'orange', 'red'];
export const SEVERITY_ZH: Record<Severity, string> = { yellow: '黄色', orange: '橙色', red: '红色' };

/** Route and filters of the web page that shows the rows behind an alert (see README.md). */
export interface DrillLink {
  route: string;
  query: Record<string, string>;
}

/** One subject that meets a rule's condition; measured and threshold values are exact decimal strings. */
export interface Finding {
  subjectType: string;
  subjectKey: string;
  subjectName: string | null;
  period: string;
  severity: Severity;
  measured: Record<string, string>;
  threshold: Record<string, string>;
  drillLink: DrillLink;
}

export interface RuleContext<P> {
  regionCode: string;
  /** Business date evaluated, 'YYYY-MM-DD'. */
  asOf: string;
  /** Fiscal year of the as-of date. */
  fiscalYear: number;
  timeProgress: TimeProgress;
  params: P;
  /**
   * The evaluation's voucher facts (voucher-facts.ts): this region's vouchers of the fiscal
   * year and the one before, paid up to the as-of date, summed per indicator × month × ….
   * Rules read vouchers only through it.
   */
  facts: string;
}

export interface RuleDefinition<P = unknown> {
  id: string;
  nameZh: string;
  /** What the alerts are about, in Chinese (部门；单位；项目指标 …). */
  subject: string;
  /** Default parameters: thresholds as decimal strings, severity bands, extras. Seeded into rule_settings. */
  defaults: P;
  /** Validates staff edits of the parameters; error paths name the field. */
  paramsSchema: z.ZodType<P>;
  /**
   * Which existing open alerts this evaluation speaks for: an open alert of a covered period
   * that is not found again is cleared. Default: periods of the as-of date's fiscal year.
   */
  covers?: (period: string, ctx: RuleContext<P>) => boolean;
  /** Set-based SQL returning the findings (one query or a few, never one per row). */
  evaluate(knex: Knex, ctx: RuleContext<P>): Promise<Finding[]>;
  /** One Chinese sentence with the finding's numbers. */
  explain(finding: Finding): string;
}

export function defineRule<P>(rule: RuleDefinition<P>): RuleDefinition<P> {
  return rule;
}

export const coversFiscalYear = (period: string, ctx: { fiscalYear: number }) => period.startsWith(String(ctx.fiscalYear));
export const coversAll = () => true;

// ---- parameter schemas -------------------------------------------------------------------

export const decimalString = z
  .string()
  .regex(/^-?\d{1,15}(\.\d{1,6})?$/, '须为十进制数字字符串，例如 "10" 或 "12.5"');
export const nonNegativeDecimal = decimalString.refine((v) => !v.startsWith('-'), '不能为负数');
export const severitySchema = z.enum(['yellow', 'orange', 'red']);
export const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '须为 MM-DD 格式，例如 "04-01"');

/**
 * Severity bands: the measure's lower bound for each severity used. A band may be left out
 * (no such severity), at least one must stay, and bounds must rise with the severity
 * (yellow < orange < red) so a value falls into exactly one band.
 */
export function bandsSchema<K extends Severity>(keys: readonly K[]) {
  const shape = Object.fromEntries(keys.map((k) => [k, nonNegativeDecimal.optional()])) as Record<K, z.ZodOptional<typeof nonNegativeDecimal>>;
  return z.strictObject(shape).superRefine((bands, ctx) => {
    const b = bands as Record<string, string | undefined>;
    const present = SEVERITIES.filter((s) => b[s] !== undefined);
    // Field errors are reported by the fields themselves; order only between valid numbers.
    if (present.some((s) => !decimalString.safeParse(b[s]).success)) return;
    if (present.length === 0) ctx.addIssue({ code: 'custom', path: [], message: '至少保留一档阈值' });
    for (let i = 1; i < present.length; i++) {
      const lo = b[present[i - 1]]!;
      const hi = b[present[i]]!;
      if (!new Decimal(hi).gt(lo)) {
        ctx.addIssue({ code: 'custom', path: [present[i]], message: `须大于 ${present[i - 1]} 档阈值 ${lo}` });
      }
    }
  });
}

export type Bands = Partial<Record<Severity, string>>;

/** The highest band whose lower bound `value` reaches (≥), or undefined below every band. */
export function bandOf(value: string, bands: Bands): Severity | undefined {
  const v = new Decimal(value);
  for (const s of ['red', 'orange', 'yellow'] as const) {
    const bound = bands[s];
    if (bound !== undefined && v.gte(bound)) return s;
  }
  return undefined;
}

/** The lowest bound of the bands: SQL pre-filters on it, bandOf decides the severity exactly. */
export function lowestBand(bands: Bands): string {
  const present = SEVERITIES.map((s) => bands[s]).filter((b): b is string => b !== undefined);
  return present.reduce((a, b) => (new Decimal(b).lt(a) ? b : a));
}

// ---- numbers -----------------------------------------------------------------------------

/** Exact decimal string as computed by PostgreSQL, trailing zeros dropped ('41.2000' → '41.2'). */
export const exact = (v: string | number | null | undefined): string => new Decimal(v ?? 0).toFixed();
/** A percent or ratio rounded for display only. */
export const pct2 = (v: string): string => new Decimal(v).toFixed(2);
/** Money for a sentence: two decimals with thousands separators (1,234,567.80). */
export function yuan(v: string): string {
  const [int, frac] = new Decimal(v).toFixed(2).split('.');
  const neg = int.startsWith('-');
  const digits = neg ? int.slice(1) : int;
  return `${neg ? '-' : ''}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

/** Days from `from` to `to` (both 'YYYY-MM-DD'), exact calendar arithmetic in UTC. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * SQL for 100 × num / den with 20 decimal places: the dividend's scale sets the quotient's,
 * so percentages keep 20 decimals (PostgreSQL's default would keep about 16 digits).
 */
export const pctSql = (num: string, den: string) => `((100 * (${num}))::numeric(60,20) / (${den}))`;
