import { z } from 'zod';
import { isoInstant, regionCode } from '../../contract/common.js';

export const homeQuery = z.object({
  region: regionCode.optional(),
  /** The phone's last visit: alerts opened after it are "new". */
  since: isoInstant.optional(),
});
/** A report's public id, `411100-42` (the reports feature's own parameter). */
export { idParam as reportParam } from '../reports/schema.js';
