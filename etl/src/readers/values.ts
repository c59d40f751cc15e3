import type { ColumnDef } from '../feeds/index.js';

/**
 * Field parsers of DATA-INTERFACE.md. Each takes the text as read and returns the value to
 * stage (a normalised string, never a JS number for money) or an error reason in Chinese.
 */
export type Parsed = { ok: true; value: string | null } | { ok: false; reason: string };

const ok = (value: string | null): Parsed => ({ ok: true, value });
const bad = (reason: string): Parsed => ({ ok: false, reason });

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

const DATE_FORMS = [/^(\d{4})-(\d{2})-(\d{2})$/, /^(\d{4})\/(\d{2})\/(\d{2})$/, /^(\d{4})(\d{2})(\d{2})$/];

/** 'YYYY-MM-DD', 'YYYY/MM/DD' or 'YYYYMMDD' of a real calendar day → 'YYYY-MM-DD'. */
export function normaliseDate(text: string): string | null {
  for (const re of DATE_FORMS) {
    const m = re.exec(text);
    if (!m) continue;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
    return `${m[1]}-${m[2]}-${m[3]}`;
  }
  return null;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

const INT = /^-?\d{1,9}$/;
const RATE = /^\d{1,4}(\.\d{1,4})?$/;

/** Validate one field against its column declaration. `text` is already trimmed; '' = empty. */
export function parseField(col: ColumnDef, text: string): Parsed {
  if (text === '') return col.required ? bad('必填字段为空') : ok(null);
  switch (col.type) {
    case 'code':
      if (col.pattern && !col.pattern.test(text)) return bad(`代码格式不正确（应为${col.patternHint ?? col.pattern.source}）：${text}`);
      return ok(text);
    case 'text':
      return ok(text);
    case 'enum':
      return col.values!.includes(text) ? ok(text) : bad(`取值不在允许范围（${col.values!.join(' / ')}）：${text}`);
    case 'int': {
      if (!INT.test(text)) return bad(`不是整数：${text}`);
      const n = Number(text);
      if ((col.min !== undefined && n < col.min) || (col.max !== undefined && n > col.max)) {
        return bad(`超出范围 ${col.min ?? ''}–${col.max ?? ''}：${text}`);
      }
      return ok(String(n));
    }
    case 'amount': {
      const v = normaliseAmount(text);
      return v === null ? bad(`金额格式不正确（最多两位小数，不接受科学计数法）：${text}`) : ok(v);
    }
    case 'rate':
      return RATE.test(text) ? ok(text) : bad(`利率格式不正确（百分数，最多四位小数）：${text}`);
    case 'date': {
      const v = normaliseDate(text);
      return v === null ? bad(`日期不合法（应为 YYYY-MM-DD、YYYY/MM/DD 或 YYYYMMDD 的真实日期）：${text}`) : ok(v);
    }
  }
}
