import { toRegionId } from '../../contract/common.js';
import type { ArchivedReport as ArchivedRow } from './service.js';
import type { ReportMeta as ReportRow } from './queries.js';
import type { ArchivedReport, ReportMeta } from './contract.js';

/** An archived report as the API answers it (the archive's row, camelCase). */
export const toReport = (r: ReportRow): ReportMeta => ({
  id: toRegionId(r.region_code, r.id),
  regionCode: r.region_code,
  regionName: r.region_name,
  scope: r.scope,
  quarter: r.quarter,
  asOf: r.as_of,
  batchIds: r.batch_ids,
  fileName: r.file_name,
  contentHash: r.content_hash,
  sizeBytes: r.size_bytes,
  generatedBy: r.generated_by,
  generatedByName: r.generated_by_name,
  generatedAt: r.generated_at,
});

export const toArchivedReport = (r: ArchivedRow): ArchivedReport => ({ ...toReport(r), sameContentAs: r.sameContentAs && toRegionId(r.region_code, r.sameContentAs) });
