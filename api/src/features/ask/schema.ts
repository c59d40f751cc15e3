import { z } from 'zod';
import { regionCode } from '../../contract/common.js';

export const askQuery = z.object({
  q: z.string().trim().min(1, '请输入问题').max(100, '问题最多 100 字'),
  /** The region the asker is looking at (its departments come first); the user's own by default. */
  region: regionCode.optional(),
});
