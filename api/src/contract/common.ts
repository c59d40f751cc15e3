import { z } from 'zod';

/**
 * The validation and response pieces every feature's contract shares: one region-code
 * pattern, one date rule, one money form. Imported by the server and, as types, by the web
 * (through the `@contract` alias), so this file imports nothing but zod.
 */

export const REGION_CODE = /^\d{6}$/;
export const regionCode = z.string().regex(REGION_CODE, '地区代码应为 6 位数字');

/**
 * The public id of a row of a table distributed by region (an alert, a report, a liaison reply,
 * an attachment): `<region_code>-<id>`, e.g. `411100-42`. The database keys those rows by
 * (region_code, id) (docs/SCALE-OUT.md), so a URL that names one row names its region too and
 * the server finds it on that region's shard alone.
 */
export const REGION_ID = /^(\d{6})-(\d{1,18})$/;
export const regionId = (what: string) => z.string().regex(REGION_ID, `${what}编号形如 411100-42`);
export const toRegionId = (regionCode: string, id: string | number) => `${regionCode}-${id}`;
/** A row of a table distributed by region, as the database keys it. */
export interface RegionKey {
  regionCode: string;
  id: string;
}
/** The region and id of a public id that matched REGION_ID. */
export function fromRegionId(publicId: string): RegionKey {
  const m = REGION_ID.exec(publicId);
  if (!m) throw new Error(`not a region id: ${publicId}`);
  return { regionCode: m[1]!, id: m[2]! };
}

/** A calendar date YYYY-MM-DD that exists (2026-02-31 does not). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), '不是有效日期');

/** An instant as the server sends it: ISO 8601 in UTC. */
export const isoInstant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);

/** Money at the edge: a decimal string (never a JS number), e.g. "1234.50" or "-3". */
export const money = z.string().regex(/^-?\d+(\.\d+)?$/, '金额应为十进制字符串');

/** Paged lists answer `{ data: T[], meta: PageMeta }`. */
export const pageMeta = z.strictObject({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
export type PageMeta = z.infer<typeof pageMeta>;

/** `{ data }` with `schema` as the data. */
export const envelope = <T extends z.ZodType>(schema: T) => z.strictObject({ data: schema });
/** `{ data: [...], meta: { total, page, pageSize } }`. */
export const pagedEnvelope = <T extends z.ZodType>(schema: T) => z.strictObject({ data: z.array(schema), meta: pageMeta });

/** The roles a user holds. */
export const role = z.enum(['staff', 'deputy', 'admin', 'liaison']);
export type Role = z.infer<typeof role>;

/**
 * Who is signed in and the regions they see: the answer of a login, GET /auth/me, an
 * enrolment and a confirmed screen login alike, so it lives here rather than in one feature.
 */
export const signedIn = z.strictObject({
  user: z.strictObject({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role,
    regionCode,
    /** The user's region and every region below it. */
    regionCodes: z.array(regionCode),
    /** An admin set the password (new user, reset): the change page comes before anything else. */
    mustChangePassword: z.boolean(),
  }),
  regions: z.array(z.strictObject({ code: regionCode, name: z.string(), level: z.string(), parentCode: z.string().nullable() })),
});
