/**
 * RFC 4180 record splitter over decoded text, fed chunk by chunk. csv-parse (the reference,
 * used as the oracle in csv-records.test.ts) parses ~150k rows/s on this machine, which alone
 * would miss the ETL's 100k rows/s end to end; this splitter takes a fast path for lines with
 * no quote character (plain split) and scans only quoted records field by field.
 * Lines are counted physically (CRLF or LF; newlines inside quotes count), so a row's `line`
 * is what a person opening the file sees.
 */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

export interface CsvRecord {
  line: number;
  cells: string[];
}

type Parsed = { cells: string[]; next: number; newlines: number } | null;

/** Parse one record starting at `start` of `s`; null when the text ends before the record does. */
function parseQuoted(s: string, start: number, final: boolean, line: number): Parsed {
  const cells: string[] = [];
  let i = start;
  let newlines = 0;
  let nl = -2; // end of the current physical line, found once per line rather than per field
  for (;;) {
    if (s.charCodeAt(i) === 34) {
      // Quoted field: "" is a literal quote; anything, newlines included, up to the closing quote.
      let val = '';
      i++;
      for (;;) {
        const j = s.indexOf('"', i);
        if (j < 0) {
          if (final) throw new CsvSyntaxError(line, `第 ${line} 行起的引号没有闭合`);
          return null;
        }
        val += s.slice(i, j);
        if (j + 1 >= s.length && !final) return null;
        if (s.charCodeAt(j + 1) === 34) {
          val += '"';
          i = j + 2;
          continue;
        }
        i = j + 1;
        break;
      }
      for (let k = val.indexOf('\n'); k >= 0; k = val.indexOf('\n', k + 1)) newlines++;
      cells.push(val);
      const c = s.charCodeAt(i);
      if (c === 44) {
        i++;
        continue;
      }
      if (c === 10) return { cells, next: i + 1, newlines };
      if (c === 13) {
        if (i + 1 >= s.length && !final) return null;
        if (s.charCodeAt(i + 1) === 10) return { cells, next: i + 2, newlines };
      }
      if (i >= s.length) return { cells, next: i, newlines };
      throw new CsvSyntaxError(line + newlines, `第 ${line + newlines} 行：引号字段的闭合引号后还有字符`);
    }
    // Unquoted field: up to the next comma or end of line; a stray quote inside is kept as is.
    if (nl !== -1 && nl < i) nl = s.indexOf('\n', i);
    if (nl < 0 && !final) return null;
    const comma = s.indexOf(',', i);
    if (comma >= 0 && (nl < 0 || comma < nl)) {
      cells.push(s.slice(i, comma));
      i = comma + 1;
      continue;
    }
    const end = nl < 0 ? s.length : nl;
    cells.push(s.slice(i, end > i && s.charCodeAt(end - 1) === 13 ? end - 1 : end));
    return { cells, next: nl < 0 ? s.length : nl + 1, newlines };
  }
}

export class CsvRecordSplitter {
  private carry = '';
  private nextLine = 1;

  /** Feed decoded text; complete records are appended to `out`. `final` = no more text. */
  push(text: string, final: boolean, out: CsvRecord[]): void {
    const s = this.carry.length ? this.carry + text : text;
    let pos = 0;
    const n = s.length;
    // The next quote character at or after pos (-1: none left), looked for again only once pos
    // has passed it: searching from every line would rescan the rest of a quote-free chunk per
    // line (the splitter's main cost in a bench:etl CPU profile, quadratic in the chunk).
    let q = -2;
    while (pos < n) {
      const nl = s.indexOf('\n', pos);
      if (nl < 0 && !final) break;
      const end = nl < 0 ? n : nl;
      if (q !== -1 && q < pos) q = s.indexOf('"', pos);
      if (q < 0 || q > end) {
        const lineEnd = end > pos && s.charCodeAt(end - 1) === 13 ? end - 1 : end;
        out.push({ line: this.nextLine++, cells: s.slice(pos, lineEnd).split(',') });
        pos = nl < 0 ? n : nl + 1;
        continue;
      }
      const r = parseQuoted(s, pos, final, this.nextLine);
      if (!r) break;
      out.push({ line: this.nextLine, cells: r.cells });
      this.nextLine += 1 + r.newlines;
      pos = r.next;
    }
    this.carry = pos < n ? s.slice(pos) : '';
  }
}
