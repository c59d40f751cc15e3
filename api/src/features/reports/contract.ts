import { z } from 'zod';
import { envelope, isoDate, isoInstant, regionCode } from '../../contract/common.js';

/**
 * The archived quarterly reports (季度报告): what the API answers. The fields keep the
 * archive's column names (snake_case) as they always went out; the .docx itself is a download.
 */
export const ReportMeta = z.strictObject({
  id: z.string(),
  region_code: regionCode,
  region_name: z.string().nullable(),
  /** self = 本级, all = 全辖. */
  scope: z.enum(['self', 'all']),
  quarter: z.string(),
  as_of: isoDate,
  /** The delivery batches the figures were read from. */
  batch_ids: z.array(z.string()),
  file_name: z.string(),
  content_hash: z.string(),
  size_bytes: z.number().int(),
  generated_by: z.string().nullable(),
  generated_by_name: z.string().nullable(),
  generated_at: isoInstant,
});
export type ReportMeta = z.infer<typeof ReportMeta>;

/** A report just generated: with the id of an earlier archived one of identical content, if any. */
export const ArchivedReport = ReportMeta.extend({ sameContentAs: z.string().nullable() });
export type ArchivedReport = z.infer<typeof ArchivedReport>;

export const reportResponses = {
  'POST /reports/generate': envelope(ArchivedReport),
  'GET /reports': envelope(z.array(ReportMeta)),
  'GET /reports/:id': envelope(ReportMeta),
};
