import { toRegionId } from '../../contract/common.js';
import type { Batch, BatchFile, EtlRun, QuarantineRow } from './contract.js';

/**
 * The delivery records as the API answers them: the rows etl/src/status.ts reads (the
 * tables' own columns) turned camelCase, ids as strings, instants as ISO strings; a batch
 * named by region and id (`411100-42`), as the database keys it.
 */

type Row = Record<string, unknown>;
const str = (v: unknown) => String(v);
const strOrNull = (v: unknown) => (v == null ? null : String(v));
const instant = (v: unknown) => new Date(v as string | Date).toISOString();
const instantOrNull = (v: unknown) => (v == null ? null : instant(v));

export const toRun = (r: Row): EtlRun => ({
  id: str(r.id),
  trigger: r.trigger as string,
  regionCode: strOrNull(r.region_code),
  businessDate: strOrNull(r.business_date),
  status: r.status as EtlRun['status'],
  summary: r.summary ?? null,
  error: strOrNull(r.error),
  startedBy: strOrNull(r.started_by),
  startedAt: instant(r.started_at),
  finishedAt: instantOrNull(r.finished_at),
});

const toBatchFile = (f: Row): BatchFile => ({
  id: str(f.id),
  batchId: toRegionId(f.region_code as string, f.batch_id as string),
  feed: f.feed as string,
  fileName: f.file_name as string,
  encoding: strOrNull(f.encoding),
  rowsRead: f.rows_read as number,
  rowsLoaded: f.rows_loaded as number,
  rowsQuarantined: f.rows_quarantined as number,
  amountSum: strOrNull(f.amount_sum),
});

export const toBatch = (b: Row & { files: Row[] }): Batch => ({
  id: toRegionId(b.region_code as string, b.id as string),
  etlRunId: strOrNull(b.etl_run_id),
  regionCode: b.region_code as string,
  regionName: strOrNull(b.region_name),
  businessDate: b.business_date as string,
  source: b.source as string,
  location: strOrNull(b.location),
  contentHash: strOrNull(b.content_hash),
  manifest: b.manifest ?? null,
  status: b.status as Batch['status'],
  rejectCode: strOrNull(b.reject_code),
  rejectReason: strOrNull(b.reject_reason),
  receivedAt: instant(b.received_at),
  committedAt: instantOrNull(b.committed_at),
  files: b.files.map(toBatchFile),
});

export const toQuarantineRow = (r: Row): QuarantineRow => ({
  id: str(r.id),
  batchId: toRegionId(r.region_code as string, r.batch_id as string),
  regionCode: r.region_code as string,
  businessDate: r.business_date as string,
  feed: r.feed as string,
  fileName: r.file_name as string,
  lineNo: r.line_no as number,
  columnName: strOrNull(r.column_name),
  reasonCode: strOrNull(r.reason_code),
  reason: r.reason as string,
  raw: r.raw as Record<string, unknown>,
  createdAt: instant(r.created_at),
});
