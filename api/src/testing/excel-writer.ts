import zlib from 'node:zlib';

/**
 * Tests' .xlsx writer: the parts laid out in the zip the way Excel stores them — workbook,
 * its relationships, the worksheets, then theme, styles.xml and sharedStrings.xml — which is
 * the order exceljs's streaming reader cannot handle. Small and explicit on purpose: each
 * test states the cells, styles and tab order it needs.
 */
export type Cell =
  | string // a shared string (as Excel writes every text cell)
  | number // a number in the General format
  | null
  | { n: number; fmt: number | string } // a number with a built-in format id or a custom code
  | { inline: string }
  | { rich: string[]; phonetic?: string }
  | { f: string; v: number | string };

export interface SheetSpec {
  name: string;
  rows: Cell[][];
  merges?: string[];
  /** Written as the first row's number, so rows may start below 1. */
  firstRow?: number;
}

export interface WorkbookSpec {
  /** In the zip as sheet1.xml, sheet2.xml, … */
  sheets: SheetSpec[];
  /** Tab order as indexes into `sheets` (default their order). */
  tabs?: number[];
  date1904?: boolean;
  /** Entry order; default Excel's. */
  order?: 'excel' | 'strings-first';
  /** Entries to leave out (e.g. 'xl/sharedStrings.xml'). */
  omit?: string[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const colName = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : colName(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)));

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export function excelWorkbook(spec: WorkbookSpec): Buffer {
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const sst = (s: string) => {
    if (!stringIndex.has(s)) {
      stringIndex.set(s, strings.length);
      strings.push(s);
    }
    return stringIndex.get(s)!;
  };
  // Style 0 is General; each distinct format gets an xf.
  const customFmts = new Map<string, number>();
  const xfs: number[] = [0];
  const styleOf = (fmt: number | string) => {
    let id: number;
    if (typeof fmt === 'number') id = fmt;
    else {
      if (!customFmts.has(fmt)) customFmts.set(fmt, 176 + customFmts.size);
      id = customFmts.get(fmt)!;
    }
    let s = xfs.indexOf(id);
    if (s < 0) s = xfs.push(id) - 1;
    return s;
  };
  const richStrings: string[] = [];

  const sheetXml = (sheet: SheetSpec) => {
    const first = sheet.firstRow ?? 1;
    const rows = sheet.rows
      .map((cells, ri) => {
        const r = first + ri;
        const cs = cells
          .map((c, ci) => {
            const ref = `${colName(ci)}${r}`;
            if (c === null) return '';
            if (typeof c === 'string') return `<c r="${ref}" t="s"><v>${sst(c)}</v></c>`;
            if (typeof c === 'number') return `<c r="${ref}"><v>${c}</v></c>`;
            if ('inline' in c) return `<c r="${ref}" t="inlineStr"><is><t>${esc(c.inline)}</t></is></c>`;
            if ('rich' in c) {
              const runs = c.rich.map((t, i) => `<r>${i ? '<rPr><b/></rPr>' : ''}<t xml:space="preserve">${esc(t)}</t></r>`).join('');
              const ph = c.phonetic ? `<rPh sb="0" eb="1"><t>${esc(c.phonetic)}</t></rPh>` : '';
              const key = `\u0000rich${richStrings.length}`;
              richStrings.push(`<si>${runs}${ph}</si>`);
              return `<c r="${ref}" t="s"><v>${sst(key)}</v></c>`;
            }
            if ('f' in c) {
              return typeof c.v === 'string'
                ? `<c r="${ref}" t="str"><f>${esc(c.f)}</f><v>${esc(c.v)}</v></c>`
                : `<c r="${ref}"><f>${esc(c.f)}</f><v>${c.v}</v></c>`;
            }
            return `<c r="${ref}" s="${styleOf(c.fmt)}"><v>${c.n}</v></c>`;
          })
          .join('');
        return `<row r="${r}" spans="1:${cells.length}">${cs}</row>`;
      })
      .join('');
    const merges = sheet.merges?.length ? `<mergeCells count="${sheet.merges.length}">${sheet.merges.map((m) => `<mergeCell ref="${m}"/>`).join('')}</mergeCells>` : '';
    return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet ${NS}><dimension ref="A1"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="14.25"/><sheetData>${rows}</sheetData>${merges}<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;
  };
  const sheets = spec.sheets.map(sheetXml);
  const tabs = spec.tabs ?? spec.sheets.map((_, i) => i);

  const workbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<workbook ${NS}><workbookPr${spec.date1904 ? ' date1904="1"' : ''} defaultThemeVersion="166925"/><bookViews><workbookView activeTab="0"/></bookViews><sheets>${tabs
    .map((i) => `<sheet name="${esc(spec.sheets[i].name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
    .join('')}</sheets></workbook>`;
  const n = spec.sheets.length;
  const bookRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${spec.sheets
    .map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
    .join('')}<Relationship Id="rId${n + 1}" Type="${REL}/theme" Target="theme/theme1.xml"/><Relationship Id="rId${n + 2}" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId${n + 3}" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;
  const numFmts = customFmts.size ? `<numFmts count="${customFmts.size}">${[...customFmts].map(([code, id]) => `<numFmt numFmtId="${id}" formatCode="${esc(code)}"/>`).join('')}</numFmts>` : '';
  const styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<styleSheet ${NS}>${numFmts}<fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="${xfs.length}">${xfs
    .map((id) => `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0"${id ? ' applyNumberFormat="1"' : ''}/>`)
    .join('')}</cellXfs><cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;
  let rich = 0;
  const shared = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<sst ${NS} count="${strings.length}" uniqueCount="${strings.length}">${strings
    .map((s) => (s.startsWith('\u0000rich') ? richStrings[rich++] : `<si><t>${esc(s)}</t></si>`))
    .join('')}</sst>`;
  const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`;
  const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
  const theme = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office 主题"/>`;

  const sheetEntries: [string, string][] = sheets.map((x, i) => [`xl/worksheets/sheet${i + 1}.xml`, x]);
  const head: [string, string][] = [
    ['[Content_Types].xml', contentTypes],
    ['_rels/.rels', rootRels],
    ['xl/workbook.xml', workbook],
    ['xl/_rels/workbook.xml.rels', bookRels],
  ];
  const tail: [string, string][] = [
    ['xl/theme/theme1.xml', theme],
    ['xl/styles.xml', styles],
    ['xl/sharedStrings.xml', shared],
  ];
  const entries =
    spec.order === 'strings-first' ? [...head, ...tail, ...sheetEntries] : [...head, ...sheetEntries, ...tail];
  return zip(entries.filter(([name]) => !spec.omit?.includes(name)).map(([name, text]) => [name, Buffer.from(text, 'utf8')]));
}

/** Local header and central-directory record of one deflated entry stored at `offset`. */
export function zipRecords(name: string, crc: number, compressed: number, size: number, offset: number): { local: Buffer; central: Buffer } {
  const nameBuf = Buffer.from(name, 'utf8');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0x0800, 6); // UTF-8 names
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(0, 10);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(compressed, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(nameBuf.length, 26);
  const cd = Buffer.alloc(46);
  cd.writeUInt32LE(0x02014b50, 0);
  cd.writeUInt16LE(20, 4);
  cd.writeUInt16LE(20, 6);
  cd.writeUInt16LE(0x0800, 8);
  cd.writeUInt16LE(8, 10);
  cd.writeUInt32LE(0, 12);
  cd.writeUInt32LE(crc, 16);
  cd.writeUInt32LE(compressed, 20);
  cd.writeUInt32LE(size, 24);
  cd.writeUInt16LE(nameBuf.length, 28);
  cd.writeUInt32LE(offset, 42);
  return { local: Buffer.concat([local, nameBuf]), central: Buffer.concat([cd, nameBuf]) };
}

/** End of central directory for `count` entries. */
export function zipEnd(count: number, centralSize: number, centralOffset: number): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(centralOffset, 16);
  return end;
}

/** A zip (deflated entries, local headers then the central directory), entries in the order given. */
export function zip(entries: [string, Buffer][]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const body = zlib.deflateRawSync(data);
    const r = zipRecords(name, zlib.crc32(data), body.length, data.length, offset);
    locals.push(r.local, body);
    central.push(r.central);
    offset += r.local.length + body.length;
  }
  const cdBuf = Buffer.concat(central);
  return Buffer.concat([...locals, cdBuf, zipEnd(entries.length, cdBuf.length, offset)]);
}
