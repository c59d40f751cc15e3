/**
 * What makes two documents' lines "the same line" (决算 vs 批准, 调整 vs 批准): line numbers are
 * the bureau's own per document, so the identity is the line's classification (alias d).
 */
export const LINE_IDENTITY = `concat_ws('|', d.budget_type, d.direction, coalesce(d.agency_code, ''), coalesce(d.func_code, ''),
  coalesce(d.econ_code, ''), coalesce(d.revenue_code, ''), coalesce(d.project_code, ''))`;
