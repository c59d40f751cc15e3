import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvRecordSplitter, CsvSyntaxError, type CsvRecord } from './csv-records.js';

function split(text: string, chunk: number): CsvRecord[] {
  const s = new CsvRecordSplitter();
  const out: CsvRecord[] = [];
  for (let i = 0; i < text.length; i += chunk) s.push(text.slice(i, i + chunk), false, out);
  s.push('', true, out);
  return out;
}

// Deterministic pseudo-random CSV with every awkward case RFC 4180 allows.
function randomCsv(seed: number, eol: string): string {
  let x = seed;
  const r = () => ((x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pieces = ['a', '中文', ' ', '1,234.50', '"', 'x"y', '\n', '\r\n', '', ',', '""'];
  const rows: string[] = [];
  for (let i = 0; i < 40; i++) {
    const cells: string[] = [];
    for (let j = 0; j < 4; j++) {
      let v = '';
      for (let k = Math.floor(r() * 4); k > 0; k--) v += pieces[Math.floor(r() * pieces.length)];
      cells.push(/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    }
    rows.push(cells.join(','));
  }
  return rows.join(eol) + eol;
}

describe('CsvRecordSplitter', () => {
  it('agrees with csv-parse on random RFC 4180 input, whatever the chunking', () => {
    for (let seed = 1; seed <= 30; seed++) {
      for (const eol of ['\n', '\r\n']) {
        const text = randomCsv(seed, eol);
        const want = parse(text, { relax_column_count: true, record_delimiter: eol }) as string[][];
        for (const chunk of [1, 7, 64, 100_000]) {
          expect(split(text, chunk).map((r) => r.cells), `seed ${seed} chunk ${chunk}`).toEqual(want);
        }
      }
    }
  });

  it('numbers records by the physical line they start on', () => {
    const recs = split('h1,h2\r\n1,"a\r\nb"\r\n2,x\r\n3,"""q"""', 5);
    expect(recs.map((r) => [r.line, ...r.cells])).toEqual([[1, 'h1', 'h2'], [2, '1', 'a\r\nb'], [4, '2', 'x'], [5, '3', '"q"']]);
  });

  it('reports an unclosed quote with its line', () => {
    expect(() => split('a,b\n1,"open\n2,3\n', 4)).toThrow(CsvSyntaxError);
    try {
      split('a,b\n1,"open\n2,3\n', 4);
    } catch (e) {
      expect((e as CsvSyntaxError).line).toBe(2);
    }
  });
});
