import { z } from 'zod';
import { envelope, isoDate, isoInstant, regionCode, regionId } from '../../contract/common.js';

/** An archived quarterly report (季度报告): who made it when, from which batches; the .docx is a download. */
export const ReportMeta = z.strictObject({
  /** Region and id, `411100-42`: how URLs name the report (/reports/411100-42/download). */
  id: regionId('报告'),
  regionCode,
  regionName: z.string().nullable(),
  /** self = 本级, all = 全辖. */
  scope: z.enum(['self', 'all']),
  quarter: z.string(),
  asOf: isoDate,
  /** The delivery batches the figures were read from, by region and id (`411100-42`), as batches are keyed. */
  batchIds: z.array(regionId('批次')),
  fileName: z.string(),
  contentHash: z.string(),
  sizeBytes: z.number().int(),
  generatedBy: z.string().nullable(),
  generatedByName: z.string().nullable(),
  generatedAt: isoInstant,
});
export type ReportMeta = z.infer<typeof ReportMeta>;

/** A report just generated: with the id of an earlier archived one of identical content, if any. */
export const ArchivedReport = ReportMeta.extend({ sameContentAs: regionId('报告').nullable() });
export type ArchivedReport = z.infer<typeof ArchivedReport>;

export const reportResponses = {
  'POST /reports/generate': envelope(ArchivedReport),
  'GET /reports': envelope(z.array(ReportMeta)),
  'GET /reports/:id': envelope(ReportMeta),
};
