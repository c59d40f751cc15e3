import type { Knex } from 'knex';
import { generateQuarterlyReport, type GenerateOptions } from '../../report/generate.js';
import { earlierWithSameContent, insertReport, type ReportMeta } from './queries.js';

export interface ArchivedReport extends ReportMeta {
  /** The id of an earlier archived report with identical content (same data), if any. */
  sameContentAs: string | null;
}
import type { Scope } from '../drilldown/scope.js';

/** Generate the quarterly report and archive it (who, when, which batches, the bytes, the hash). */
export async function generateAndArchive(
  knex: Knex,
  p: { regionCode: string; quarter: string; userId: string | null; scope?: Scope },
  opts: GenerateOptions = {},
): Promise<ArchivedReport> {
  const report = await generateQuarterlyReport(knex, p.regionCode, p.quarter, opts, p.scope ?? 'self');
  const meta = await insertReport(knex, {
    region_code: report.regionCode,
    scope: report.scope,
    quarter: report.quarter,
    as_of: report.asOf,
    batch_ids: report.batchIds,
    file_name: report.fileName,
    content: report.content,
    content_hash: report.contentHash,
    generated_by: p.userId,
  });
  const same = await earlierWithSameContent(knex, { region_code: meta.region_code, scope: meta.scope, quarter: meta.quarter, content_hash: meta.content_hash, before: meta.id });
  return { ...meta, sameContentAs: same ?? null };
}

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
