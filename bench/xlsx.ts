/**
 * bench/xlsx: a 1,000,000-row payment_vouchers sheet laid out as Excel writes it (worksheet
 * before sharedStrings.xml and styles.xml in the zip; every text cell a shared string, so
 * the string table holds a million voucher numbers; years and amounts as numbers; pay dates
 * as date serials in format 14), loaded end to end through the ETL. Prints rows/s (target
 * ≥ 100,000 rows/s, the ETL's) and the process's peak memory, and the reader alone. The same
 * rows as a CSV bundle are loaded in the same run, as the baseline: the CSV path makes the
 * ETL's target on a quiet machine (bench/etl.ts), so on a busy one the ratio says whether the
 * .xlsx path keeps up with it. With --rounds N the two loads take turns N times and their
 * medians are compared. Each load also prints the CPU seconds of the loader's threads and of
 * PostgreSQL, until the last row was read and after (thread-cpu.ts): on two cores the read
 * phase of the .xlsx load is bound by their sum.
 *
 *   npx tsx --max-semi-space-size=32 bench/xlsx.ts [--vouchers N] [--rounds N]
 *
 * Uses DATABASE_URL when set, else a throw-away embedded cluster under .data/bench-xlsx.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { addDays, today } from '../api/src/clock.js';
import { ROOT_DIR } from '../api/src/config.js';
import { createKnex, withDatabase } from '../api/src/db/connection.js';
import { loadInbox } from '../etl/src/load/inbox.js';
import { readXlsx } from '../etl/src/readers/xlsx.js';
import { AGENCIES_HEADER, csv, VOUCHER_HEADER } from '../api/src/testing/bundles.js';
import { zipEnd, zipRecords } from '../api/src/testing/excel-writer.js';
import { openBenchDatabase } from './bench-database.js';
import { arg } from './args.js';
import { formatThreadCpu, threadCpu } from './thread-cpu.js';

const N = Number(arg('vouchers', '1000000'));
const ROUNDS = Number(arg('rounds', '1'));
const REGION = '411100';
const TODAY = today();
const DATE = addDays(TODAY, -1);
// The vouchers' fiscal year: last year by the clock, paid on its first 300 days.
const FY = Number(DATE.slice(0, 4)) - 1;
const FY_START_SERIAL = (Date.UTC(FY, 0, 1) - Date.UTC(1899, 11, 30)) / 86_400_000;

const xmlHead = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';
const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const col = (i: number) => String.fromCharCode(65 + i);
const fromSerial = (serial: number) => new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);

/** Deflate a sequence of text chunks into memory: [crc, compressed parts, uncompressed size]. */
async function deflate(chunks: Iterable<string>): Promise<{ crc: number; body: Buffer[]; size: number }> {
  const z = zlib.createDeflateRaw({ level: 6 });
  const body: Buffer[] = [];
  z.on('data', (b: Buffer) => body.push(b));
  const done = new Promise((r) => z.once('end', r));
  let crc = 0;
  let size = 0;
  for (const text of chunks) {
    const buf = Buffer.from(text, 'utf8');
    crc = zlib.crc32(buf, crc);
    size += buf.length;
    if (!z.write(buf)) await new Promise((r) => z.once('drain', r));
  }
  z.end();
  await done;
  return { crc, body, size };
}

async function writeWorkbook(file: string, csvFile: string, units: string[]): Promise<void> {
  const csvFd = fs.openSync(csvFile, 'w');
  fs.writeSync(csvFd, `${VOUCHER_HEADER.join(',')}\n`);
  let csvOut = '';
  const strings: string[] = [];
  const index = new Map<string, number>();
  const sst = (s: string) => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.push(s) - 1;
      index.set(s, i);
    }
    return i;
  };
  const funcs = ['2050202', '2100408', '2130122', '2010601', '2080109', '20101', '205'];
  const econs = ['30101', '30201', '31002', '30217', '30211'];
  function* sheet(): Generator<string> {
    yield `${xmlHead}<worksheet ${NS}><dimension ref="A1:N${N + 1}"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="14.25"/><sheetData>`;
    yield `<row r="1" spans="1:14">${VOUCHER_HEADER.map((h, i) => `<c r="${col(i)}1" t="s"><v>${sst(h)}</v></c>`).join('')}</row>`;
    let out = '';
    for (let i = 0; i < N; i++) {
      const r = i + 2;
      const unit = units[i % units.length];
      const cents = (i * 7919) % 100_000_000;
      const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`.replace(/\.?0+$/, '');
      const s = (c: number, text: string) => `<c r="${col(c)}${r}" t="s"><v>${sst(text)}</v></c>`;
      out +=
        `<row r="${r}" spans="1:14">${s(0, `PZ${FY}${String(i).padStart(9, '0')}`)}<c r="B${r}"><v>${FY}</v></c>` +
        `<c r="C${r}" s="1"><v>${FY_START_SERIAL + (i % 300)}</v></c>${s(3, unit)}${s(4, `ZB${FY}${unit}`)}${s(5, funcs[i % funcs.length])}` +
        `${s(6, econs[i % econs.length])}${s(7, '1')}${s(9, `收款单位${i % 997}`)}${s(10, `6222${String(i % 100000).padStart(12, '0')}`)}` +
        `${s(11, '国库集中支付')}${s(12, `办公用品采购，第${i % 12}批`)}<c r="N${r}"><v>${amount || '0'}</v></c></row>`;
      csvOut += `PZ${FY}${String(i).padStart(9, '0')},${FY},${fromSerial(FY_START_SERIAL + (i % 300))},${unit},ZB${FY}${unit},${funcs[i % funcs.length]},${econs[i % econs.length]},1,,收款单位${i % 997},6222${String(i % 100000).padStart(12, '0')},国库集中支付,办公用品采购，第${i % 12}批,${amount || '0'}\n`;
      if (out.length > 1 << 20) {
        yield out;
        out = '';
        fs.writeSync(csvFd, csvOut);
        csvOut = '';
      }
    }
    fs.writeSync(csvFd, csvOut);
    fs.closeSync(csvFd);
    yield `${out}</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;
  }
  // The sheet first: its cells decide the string table.
  const sheetPart = await deflate(sheet());
  function* shared(): Generator<string> {
    yield `${xmlHead}<sst ${NS} count="${strings.length}" uniqueCount="${strings.length}">`;
    let out = '';
    for (const s of strings) {
      out += `<si><t>${s}</t></si>`;
      if (out.length > 1 << 20) {
        yield out;
        out = '';
      }
    }
    yield `${out}</sst>`;
  }
  const parts: [string, { crc: number; body: Buffer[]; size: number }][] = [
    ['[Content_Types].xml', await deflate([`${xmlHead}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>`])],
    ['_rels/.rels', await deflate([`${xmlHead}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`])],
    ['xl/workbook.xml', await deflate([`${xmlHead}<workbook ${NS}><workbookPr/><sheets><sheet name="支付凭证" sheetId="1" r:id="rId1"/></sheets></workbook>`])],
    ['xl/_rels/workbook.xml.rels', await deflate([`${xmlHead}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`])],
    ['xl/worksheets/sheet1.xml', sheetPart],
    ['xl/styles.xml', await deflate([`${xmlHead}<styleSheet ${NS}><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`])],
    ['xl/sharedStrings.xml', await deflate(shared())],
  ];
  const fd = fs.openSync(file, 'w');
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, p] of parts) {
    const compressed = p.body.reduce((n, b) => n + b.length, 0);
    const r = zipRecords(name, p.crc, compressed, p.size, offset);
    fs.writeSync(fd, r.local);
    for (const b of p.body) fs.writeSync(fd, b);
    central.push(r.central);
    offset += r.local.length + compressed;
  }
  const cd = Buffer.concat(central);
  fs.writeSync(fd, cd);
  fs.writeSync(fd, zipEnd(parts.length, cd.length, offset));
  fs.closeSync(fd);
  console.log(`sheet XML ${(sheetPart.size / 1e6).toFixed(0)} MB, ${strings.length.toLocaleString()} shared strings`);
}

/** Peak resident memory of this process, sampled (and the kernel's high-water mark). */
function memoryPeak(): { stop: () => number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return { stop: () => (clearInterval(timer), Math.max(peak, process.memoryUsage().rss)) };
}

interface Load {
  rate: number;
  stage: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const mb = (n: number) => `${(n / 1048576).toFixed(0)} MB`;

/**
 * The measured part, in a child process of its own so its memory figure is the reader's and
 * the loader's, not what writing the workbook left on the heap.
 */
async function measure(work: string, url: string): Promise<void> {
  const file = path.join(work, 'inbox-xlsx', REGION, DATE, 'payment_vouchers.xlsx');
  // The reader alone: unzip, shared strings, styles, sheet XML → rows of text cells.
  let mem = memoryPeak();
  let t = performance.now();
  const table = await readXlsx(file, 'payment_vouchers.xlsx');
  let rows = 0;
  for await (const batch of table.batches) rows += batch.length;
  const readSeconds = (performance.now() - t) / 1000;
  console.log(`reader alone            : ${rows.toLocaleString()} rows in ${readSeconds.toFixed(2)} s  ${Math.round(rows / readSeconds).toLocaleString()} rows/s  (peak RSS ${mb(mem.stop())})`);

  const knex = createKnex(url);
  try {
    /** One bundle loaded end to end into an empty payment_vouchers; its rows/s and read + validate + COPY seconds. */
    const load = async (label: string, inbox: string): Promise<Load> => {
      await knex.raw('truncate payment_vouchers');
      // Each load starts from the same state: the previous load's dirty pages written out now,
      // not by a checkpoint in the middle of this one's index builds.
      await knex.raw('checkpoint');
      mem = memoryPeak();
      const cpu = threadCpu();
      t = performance.now();
      // force: the same delivery again, from the second round on. The CPU split is marked
      // when the last vouchers have been read (their COPY has then been sent, not finished).
      const onProgress = (p: { feed: string; rowsRead: number }) => p.feed === 'payment_vouchers' && p.rowsRead === N && cpu.mark();
      const run = await loadInbox(knex, inbox, { today: TODAY, postLoad: [], force: true, onProgress });
      const seconds = (performance.now() - t) / 1000;
      const peak = mem.stop();
      const cpuPhases = cpu.stop();
      const r = run.results[0];
      if (r.outcome !== 'committed') throw new Error(`${label} load ${r.outcome}: ${r.reason}`);
      const pv = r.files.find((f) => f.feed === 'payment_vouchers')!;
      const [{ n }] = await knex('payment_vouchers').where({ region_code: REGION }).count({ n: '*' });
      const rate = pv.rowsLoaded / seconds;
      console.log(`${label.padEnd(24)}: ${pv.rowsLoaded.toLocaleString()} vouchers (table holds ${Number(n).toLocaleString()}, quarantined ${pv.quarantined}) in ${seconds.toFixed(2)} s  ${Math.round(rate).toLocaleString()} rows/s  (target ≥ 100,000)`);
      console.log(`  read + validate + COPY ${pv.stageSeconds.toFixed(2)} s; index build ${pv.mergeSeconds.toFixed(2)} s; peak RSS ${mb(peak)}`);
      for (const line of formatThreadCpu(['until the last row was read', 'after'], cpuPhases)) console.log(line);
      return { rate, stage: pv.stageSeconds };
    };
    // On a machine whose speed drifts, one pair of loads can differ by ±10 %: the two bundles
    // take turns, and the medians are compared.
    const csvRuns: Load[] = [];
    const xlsxRuns: Load[] = [];
    const csvLoad = async () => csvRuns.push(await load('CSV bundle (baseline)', path.join(work, 'inbox-csv')));
    const xlsxLoad = async () => xlsxRuns.push(await load('.xlsx end to end', path.join(work, 'inbox-xlsx')));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const next of round % 2 ? [csvLoad, xlsxLoad] : [xlsxLoad, csvLoad]) await next();
    }
    const csvRun = { rate: median(csvRuns.map((r) => r.rate)), stage: median(csvRuns.map((r) => r.stage)) };
    const xlsxRun = { rate: median(xlsxRuns.map((r) => r.rate)), stage: median(xlsxRuns.map((r) => r.stage)) };
    const of = ROUNDS > 1 ? ` (medians of ${ROUNDS} rounds: CSV ${Math.round(csvRun.rate).toLocaleString()}, .xlsx ${Math.round(xlsxRun.rate).toLocaleString()} rows/s)` : '';
    // The index build is the same work for both: the read + validate + COPY ratio is the reader's own.
    console.log(`  .xlsx / CSV in this run${of}: ${(xlsxRun.rate / csvRun.rate).toFixed(2)}× end to end; read + validate + COPY ${(csvRun.stage / xlsxRun.stage).toFixed(2)}× (CSV ${csvRun.stage.toFixed(2)} s / .xlsx ${xlsxRun.stage.toFixed(2)} s)`);
    console.log(`  peak RSS of this process (kernel high-water mark) ${mb(process.resourceUsage().maxRSS * 1024)}`);
    console.log(`  machine load average: ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (2 cores)`);
  } finally {
    await knex.destroy();
  }
}

async function main() {
  const child = process.argv.indexOf('--measure');
  if (child > 0) return measure(process.argv[child + 1], process.argv[child + 2]);
  const db = await openBenchDatabase('xlsx');
  const work = path.join(ROOT_DIR, '.data/bench-xlsx', `files-${process.pid}`);
  try {
    const dir = path.join(work, 'inbox-xlsx', REGION, DATE);
    const csvDir = path.join(work, 'inbox-csv', REGION, DATE);
    fs.mkdirSync(dir, { recursive: true });
    fs.mkdirSync(csvDir, { recursive: true });
    const agencies: string[][] = [AGENCIES_HEADER];
    const units: string[] = [];
    for (let d = 1; d <= 40; d++) {
      const dept = `${REGION}${100 + d}`;
      agencies.push([dept, `部门${d}`, '', '行政']);
      for (let u = 1; u <= 10; u++) {
        units.push(`${dept}${String(u).padStart(3, '0')}`);
        agencies.push([units[units.length - 1], `部门${d}下属单位${u}`, dept, '事业']);
      }
    }
    fs.writeFileSync(path.join(dir, 'agencies.csv'), csv(agencies));
    fs.writeFileSync(path.join(csvDir, 'agencies.csv'), csv(agencies));
    const file = path.join(dir, 'payment_vouchers.xlsx');
    const t = performance.now();
    await writeWorkbook(file, path.join(csvDir, 'payment_vouchers.csv'), units);
    console.log(`wrote ${N.toLocaleString()} rows as an Excel-layout .xlsx (${mb(fs.statSync(file).size)}) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const script = fileURLToPath(import.meta.url);
    const r = spawnSync(process.execPath, [...process.execArgv, script, '--measure', work, withDatabase(db.adminUrl, db.dbName), ...process.argv.slice(2)], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`measurement failed (exit ${r.status})`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    await db.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
