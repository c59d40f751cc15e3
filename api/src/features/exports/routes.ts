import { Router } from 'express';
import type { Knex } from 'knex';
import { today } from '../../clock.js';
import { z } from 'zod';
import { createError, ErrorCode } from '../../errors.js';
import { requireAuth } from '../../middleware/auth.js';
import { parseInput } from '../../middleware/validate.js';
import { regionParam, scopeParam } from '../../middleware/query-schema.js';
import { requestScopeLabel } from '../../middleware/region-scope.js';
import { writeCsv, writeXlsx } from './table-writer.js';
import { EXPORT_VIEWS } from './views.js';

export const exportParams = z.object({ view: z.string().min(1).max(40) });
export const exportFormat = z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') });
const exportScope = z.object({ region: regionParam.optional(), scope: scopeParam.optional() });

/**
 * GET /exports/:view?format=xlsx|csv&<the view's own query> — the table a screen shows, as a file.
 * Deputies may export what they can see (SPEC); scoping and masking are the view's own.
 */
export function exportRoutes(knex: Knex): Router {
  const router = Router();
  router.get('/exports/:view', requireAuth, async (req, res) => {
    const { view } = parseInput(exportParams, req.params);
    const { format } = parseInput(exportFormat, { format: req.query.format });
    // Own keys only: `__proto__` or `constructor` must not resolve to Object.prototype's members.
    const def = Object.hasOwn(EXPORT_VIEWS, view) ? EXPORT_VIEWS[view] : undefined;
    if (!def) throw createError(ErrorCode.NOT_FOUND, `没有名为 ${view} 的导出表`, 404);
    // Validation and scoping errors surface here, before the first byte of the file is sent.
    const rows = await def.rows(knex, req);
    const stamp = today();
    // The file says whose figures it holds: 漯河市本级… / 漯河市全市…
    const where = parseInput(exportScope, { region: req.query.region, scope: req.query.scope });
    const name = `${await requestScopeLabel(knex, req, where.region, where.scope)}${def.title}-${stamp}`;
    if (format === 'csv') await writeCsv(res, name, def.columns, rows);
    else await writeXlsx(res, name, def.title, def.columns, rows);
  });
  return router;
}
