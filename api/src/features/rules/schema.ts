import { z } from 'zod';
import { isoDate, regionCode } from '../../contract/common.js';

export const ruleIdParam = z.object({ id: z.string().regex(/^R\d{2}$/, '规则编号形如 R01') });

/**
 * A change of a rule's settings (PUT /rules/:id) or of a review check's (PUT /review/checks/:id),
 * both versioned in rule_settings: params are checked afterwards against the rule's or check's
 * own schema (errors then name params.<field>).
 */
export const settingChangeBody = z
  .object({
    params: z.record(z.string(), z.unknown()).optional(),
    enabled: z.boolean().optional(),
    reason: z.string().trim().min(1, '请填写调整原因').max(1000),
  })
  .refine((b) => b.params !== undefined || b.enabled !== undefined, { message: '至少修改 params 或 enabled 之一', path: ['params'] });

export const evaluateBody = z.object({
  region: regionCode,
  /** Default: each region's latest delivered business date, as the nightly run uses. */
  asOf: isoDate.optional(),
  /** Also evaluate every region below (each as its own evaluation). */
  includeSubRegions: z.boolean().default(false),
});

export const ruleRegionQuery = z.object({ region: regionCode.optional() });

export const timeProgressBody = z.object({ convention: z.enum(['days', 'months']) });

export const timeProgressQuery = z.object({ asOf: isoDate.optional() });

export const evaluationsQuery = z.object({
  region: regionCode.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
