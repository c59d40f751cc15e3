import type { Knex } from 'knex';

/**
 * The deployment's region (BW_REGION): whose people's congress runs this instance. Its
 * users sit in it or below, and it loads deliveries for it and the regions below only.
 */
export const DEFAULT_REGION = '411100';

/** True when `code` is `root` or lies below it in the division tree. */
export async function regionWithin(knex: Knex, code: string, root: string): Promise<boolean> {
  if (code === root) return !!(await knex('regions').where({ code }).first('code'));
  const { rows } = await knex.raw(
    `with recursive up as (
       select code, parent_code from regions where code = ?
       union all
       select r.code, r.parent_code from regions r join up on r.code = up.parent_code
     )
     select exists (select 1 from up where code = ?) as within`,
    [code, root],
  );
  return rows[0].within as boolean;
}

/** '511300 南充市', or the bare code when the table does not know it. */
export async function regionLabel(knex: Knex, code: string): Promise<string> {
  const r = await knex('regions').where({ code }).first('name');
  return r ? `${code} ${r.name}` : code;
}

/** Reason a region is refused by a deployment for `root`, naming both. */
export async function outsideDeployment(knex: Knex, code: string, root: string): Promise<string> {
  return `地区 ${await regionLabel(knex, code)} 不在本系统所属地区 ${await regionLabel(knex, root)} 及其下级范围内（BW_REGION=${root}）`;
}
