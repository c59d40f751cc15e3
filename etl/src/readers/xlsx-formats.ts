/**
 * Which number formats show a date, and the calendar day of an Excel serial number.
 *
 * A cell stores a date as a plain number; only its style's number format says it is one.
 * Built-in formats have an id and no code in the file (ECMA-376 §18.8.30); ids 27–36 and
 * 50–58 are locale-dependent, and a workbook saved in zh-CN Excel or WPS means the Chinese
 * ones below. A format is judged by its code (date or time tokens outside literals), so a
 * custom format (`yyyy"年"m"月"d"日"`, `[$-804]yyyy/m/d`, `e/m/d`) is recognised too.
 */
const BUILTIN: Record<number, string> = {
  0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 9: '0%', 10: '0.00%', 11: '0.00E+00',
  12: '# ?/?', 13: '# ??/??', 14: 'yyyy/m/d', 15: 'd-mmm-yy', 16: 'd-mmm', 17: 'mmm-yy',
  18: 'h:mm AM/PM', 19: 'h:mm:ss AM/PM', 20: 'h:mm', 21: 'h:mm:ss', 22: 'yyyy/m/d h:mm',
  27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: 'm-d-yy', 31: 'yyyy"年"m"月"d"日"',
  32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"', 34: '上午/下午h"时"mm"分"', 35: '上午/下午h"时"mm"分"ss"秒"',
  36: 'yyyy"年"m"月"', 37: '#,##0 ;(#,##0)', 38: '#,##0 ;[Red](#,##0)', 39: '#,##0.00;(#,##0.00)',
  40: '#,##0.00;[Red](#,##0.00)', 45: 'mm:ss', 46: '[h]:mm:ss', 47: 'mmss.0', 48: '##0.0E+0', 49: '@',
  50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"', 54: 'm"月"d"日"',
  55: '上午/下午h"时"mm"分"', 56: '上午/下午h"时"mm"分"ss"秒"', 57: 'yyyy"年"m"月"', 58: 'm"月"d"日"',
};

/** The code of number format `id`: the workbook's own (`<numFmt>`) wins over the built-in. */
export function formatCode(id: number, custom: ReadonlyMap<number, string>): string {
  return custom.get(id) ?? BUILTIN[id] ?? 'General';
}

/**
 * True when the format shows a date or a time. Only the first section counts (the one for
 * positive numbers); quoted and backslash-escaped literals, `_x` spacers, `*x` fills, and
 * bracketed colours, conditions and locales are not tokens — `[h]`/`[mm]`/`[ss]` are.
 */
export function isDateFormat(code: string): boolean {
  let s = '';
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === ';') break;
    if (c === '"') {
      const end = code.indexOf('"', i + 1);
      i = end < 0 ? code.length : end;
    } else if (c === '\\' || c === '_' || c === '*') {
      i++;
    } else if (c === '[') {
      const end = code.indexOf(']', i + 1);
      const inner = code.slice(i + 1, end < 0 ? code.length : end);
      if (/^(h+|m+|s+)$/i.test(inner)) s += inner;
      i = end < 0 ? code.length : end;
    } else {
      s += c;
    }
  }
  // AM/PM markers are not month or minute tokens; 上午/下午 are not letters at all.
  s = s.replace(/AM\/PM|A\/P/gi, '');
  return /[ymdhse]/i.test(s.replace(/General|E[+-]/gi, ''));
}

const MS_PER_DAY = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/**
 * 'YYYY-MM-DD' of a date serial (its day; a time of day is dropped). In the 1900 system
 * Excel counts a 29 February 1900 that never was (serial 60), so serials before it are
 * one day later than the plain count from 1899-12-30.
 */
export function serialToDate(serial: number, date1904: boolean): string {
  if (!Number.isFinite(serial)) return '';
  // Round to the millisecond first: 45672.99999999999 is 45673 written by a float.
  const ms = Math.round(serial * MS_PER_DAY);
  let day = Math.floor(ms / MS_PER_DAY);
  if (!date1904 && day < 61 && day > 0) day += 1;
  const d = new Date((date1904 ? EPOCH_1904 : EPOCH_1900) + day * MS_PER_DAY);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
}
