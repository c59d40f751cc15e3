import type { QuarantineCode } from '../codes.js';
import type { ColumnDef } from '../feeds/index.js';

/**
 * Field parsers of DATA-INTERFACE.md. Each takes the text as read and returns the value to
 * stage (a normalised string, never a JS number for money) or an error reason in Chinese.
 */
export type Parsed = { ok: true; value: string | null } | { ok: false; code: QuarantineCode; reason: string };

const ok = (value: string | null): Parsed => ({ ok: true, value });
const bad = (v: Invalid): Parsed => ({ ok: false, code: v.code, reason: v.reason });

const AMOUNT = /^-?\d{1,16}(\.\d{1,2})?$/;
// Thousands separators are accepted only where they belong: 1,234,567.89 — not 12,34 or 1,,000.
const AMOUNT_GROUPED = /^-?\d{1,3}(,\d{3})+(\.\d{1,2})?$/;

/** '1,234.50' → '1234.50'; null when it is not a legal amount. */
export function normaliseAmount(text: string): string | null {
  let s = text;
  if (s.includes(',')) {
    if (!AMOUNT_GROUPED.test(s)) return null;
    s = s.replace(/,/g, '');
  }
  return AMOUNT.test(s) ? s : null;
}

/** Exact cents of a legal amount string, for control totals (BigInt: exact and fast). */
export function amountToCents(amount: string): bigint {
  const neg = amount.charCodeAt(0) === 45; // '-'
  const body = neg ? amount.slice(1) : amount;
  const dot = body.indexOf('.');
  const cents = dot < 0 ? BigInt(body) * 100n : BigInt(body.slice(0, dot) + body.slice(dot + 1).padEnd(2, '0'));
  return neg ? -cents : cents;
}

/** Cents back to a decimal string: -123n → '-1.23'. */
export function centsToAmount(cents: bigint): string {
  const neg = cents < 0n;
  const s = (neg ? -cents : cents).toString().padStart(3, '0');
  return `${neg ? '-' : ''}${s.slice(0, -2)}.${s.slice(-2)}`;
}

// Unpadded month and day as spreadsheets show them (2025/9/1, 2025-9-1, 2025年9月1日).
const DATE_FORMS = [/^(\d{4})-(\d{1,2})-(\d{1,2})$/, /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/, /^(\d{4})(\d{2})(\d{2})$/, /^(\d{4})年(\d{1,2})月(\d{1,2})日$/];

/** A real calendar day as YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD, YYYY/M/D, YYYY-M-D or YYYY年M月D日 → 'YYYY-MM-DD'. */
export function normaliseDate(text: string): string | null {
  // Fast path for the common ISO form: no regex, no allocation but the result.
  if (text.length === 10 && text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45) {
    const y = digits(text, 0, 4);
    const mo = digits(text, 5, 7);
    const d = digits(text, 8, 10);
    return y >= 1900 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) ? text : null;
  }
  for (const re of DATE_FORMS) {
    const m = re.exec(text);
    if (!m) continue;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
    return `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  }
  return null;
}

/** Value of text[from, to) when all digits, else -1. */
function digits(text: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

const INT = /^-?\d{1,9}$/;
const RATE = /^\d{1,4}(\.\d{1,4})?$/;
const SCORE = /^\d{1,3}(\.\d{1,2})?$/;

/** A field that failed its column's check: the code (codes.ts) and the Chinese reason, for the quarantine. */
export class Invalid {
  constructor(
    readonly code: QuarantineCode,
    readonly reason: string,
  ) {}
}

/** A column's parser: normalised text, null for an empty optional field, or Invalid. */
export type FieldParser = (text: string) => string | null | Invalid;

/**
 * Build the parser of one column once per file: the per-row work is then a closure call
 * with no allocation for valid values (a 1M-row file runs 14M of these).
 */
export function compileColumn(col: ColumnDef): FieldParser {
  const empty = col.required ? new Invalid('REQUIRED_EMPTY', '必填字段为空') : null;
  const check = ((): FieldParser => {
    switch (col.type) {
      case 'code': {
        const re = col.pattern;
        if (!re) return (t) => t;
        return (t) => (re.test(t) ? t : new Invalid('BAD_CODE', `代码格式不正确（应为${col.patternHint ?? re.source}）：${t}`));
      }
      case 'text':
        return (t) => t;
      case 'enum': {
        const values = new Set(col.values);
        return (t) => (values.has(t) ? t : new Invalid('BAD_ENUM', `取值不在允许范围（${col.values!.join(' / ')}）：${t}`));
      }
      case 'int':
        return (t) => {
          if (!INT.test(t)) return new Invalid('BAD_INT', `不是整数：${t}`);
          const n = Number(t);
          if ((col.min !== undefined && n < col.min) || (col.max !== undefined && n > col.max)) {
            return new Invalid('OUT_OF_RANGE', `超出范围 ${col.min ?? ''}–${col.max ?? ''}：${t}`);
          }
          return String(n);
        };
      case 'amount':
        return (t) => normaliseAmount(t) ?? new Invalid('BAD_AMOUNT', `金额格式不正确（最多两位小数，不接受科学计数法）：${t}`);
      case 'rate':
        return (t) => (RATE.test(t) ? t : new Invalid('BAD_RATE', `利率格式不正确（百分数，最多四位小数）：${t}`));
      case 'score':
        return (t) => {
          if (!SCORE.test(t)) return new Invalid('BAD_SCORE', `不是最多两位小数的非负数：${t}`);
          const n = Number(t);
          if ((col.min !== undefined && n < col.min) || (col.max !== undefined && n > col.max)) {
            return new Invalid('OUT_OF_RANGE', `超出范围 ${col.min ?? ''}–${col.max ?? ''}：${t}`);
          }
          return t;
        };
      case 'date':
        return (t) => normaliseDate(t) ?? new Invalid('BAD_DATE', `日期不合法（应为 YYYY-MM-DD、YYYY/MM/DD、YYYYMMDD、YYYY/M/D、YYYY-M-D 或 YYYY年M月D日 的真实日期）：${t}`);
    }
  })();
  return (text) => (text === '' ? empty : check(text));
}

/** Validate one field against its column declaration. `text` is already trimmed; '' = empty. */
export function parseField(col: ColumnDef, text: string): Parsed {
  const v = compileColumn(col)(text);
  return v instanceof Invalid ? bad(v) : ok(v);
}
