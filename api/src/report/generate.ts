import type { Knex } from 'knex';
import { assembleReport, type ReportData } from './assemble.js';
import { renderCharts } from './charts.js';
import { reportContentHash } from './content-hash.js';
import { buildDocx } from './docx-builder.js';
import { parseQuarter } from './quarter.js';
import { createError, ErrorCode } from '../errors.js';
import type { Scope } from '../features/drilldown/scope.js';

export interface GeneratedReport {
  regionCode: string;
  scope: Scope;
  quarter: string;
  asOf: string;
  batchIds: string[];
  fileName: string;
  title: string;
  content: Buffer;
  contentHash: string;
  data: ReportData;
  timings: Record<'assemble' | 'charts' | 'docx', number>;
}

export interface GenerateOptions {
  /** When the report is generated (shown on the cover); default now. */
  generatedAt?: Date;
  /** IANA zone for the generated time; default Asia/Shanghai. */
  timeZone?: string;
  /** Progress lines for the CLI. */
  progress?: (step: string) => void;
}

/** 'YYYY-MM-DD HH:mm' in the zone: the cover's generated time. */
export function formatGeneratedAt(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(at);
  return parts.replace(',', '');
}

/** Data → charts → .docx, for one region and quarter ('2025Q3'). */
export async function generateQuarterlyReport(knex: Knex, regionCode: string, quarterText: string, opts: GenerateOptions = {}, scope: Scope = 'self'): Promise<GeneratedReport> {
  const quarter = parseQuarter(quarterText);
  if (!quarter) throw createError(ErrorCode.VALIDATION, `字段 quarter: 季度格式应为 2025Q3，收到 "${quarterText}"`, 400);
  const progress = opts.progress ?? (() => {});
  const t0 = performance.now();
  progress(`汇总 ${regionCode}（${scope === 'all' ? '全辖' : '本级'}）${quarter.key} 的数据…`);
  const data = await assembleReport(knex, regionCode, quarter, scope);
  const t1 = performance.now();
  progress(`数据截至 ${data.asOf}，${data.batchIds.length} 个批次；绘制图表…`);
  const charts = renderCharts(data);
  const t2 = performance.now();
  progress('生成 Word 文档…');
  const zone = opts.timeZone ?? 'Asia/Shanghai';
  const generatedAtText = `${formatGeneratedAt(opts.generatedAt ?? new Date(), zone)}（${zone === 'Asia/Shanghai' ? '北京时间' : zone}）`;
  const built = await buildDocx(data, charts, generatedAtText);
  const t3 = performance.now();
  return {
    regionCode,
    scope,
    quarter: quarter.key,
    asOf: data.asOf,
    batchIds: data.batchIds,
    fileName: built.fileName,
    title: built.title,
    content: built.buffer,
    contentHash: reportContentHash(built.buffer, generatedAtText),
    data,
    timings: { assemble: t1 - t0, charts: t2 - t1, docx: t3 - t2 },
  };
}
