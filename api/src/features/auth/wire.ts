import type { Region } from './contract.js';
import type { RegionRow } from './queries.js';

/** A region as the signed-in answer sends it (login, /auth/me, enrolment, screen login): the row, camelCase. */
export const toRegion = (r: RegionRow): Region => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code });
