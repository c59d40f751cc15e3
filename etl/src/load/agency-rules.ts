import type { QuarantineCode } from '../codes.js';

/**
 * How a row's agency resolves, shared by the merge (SQL over the stage) and the direct COPY
 * of a first delivery (a map built in Node), so both paths quarantine and file rows alike.
 */

/** The unit's 主管部门 (over `agencies a`): its parent, or itself when it is a department. */
export const DEPT_EXPR = `case when coalesce(a.parent_code, '') = '' then a.agency_code else a.parent_code end`;

/** Quarantine code and reason of a row whose agency is in neither the bundle's agencies nor the database (+ the agency code). */
export const UNKNOWN_AGENCY_CODE: QuarantineCode = 'UNKNOWN_AGENCY';
export const UNKNOWN_AGENCY = '未知的单位代码（本批及库中预算单位均无此单位）：';
