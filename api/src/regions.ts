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

export interface RegionNode {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
  parentCode: string | null;
}

export interface RegionTree {
  byCode: Map<string, RegionNode>;
  /** Each region's children in code order. */
  children: Map<string, RegionNode[]>;
}

/**
 * The division tree: a code table only migrations write, read once per database handle (as
 * the fund types' names are). Every request's session (the user's regions) and a province's
 * 全辖 walk it in memory instead of a recursive query over every division of China (issue 19
 * item 5). `mustHave`: a code the caller knows exists (a foreign key's target) — absent from
 * the tree read earlier, the tree is read again.
 */
const trees = new WeakMap<Knex, Promise<RegionTree>>();
export async function regionTree(knex: Knex, mustHave?: string): Promise<RegionTree> {
  const held = trees.get(knex);
  if (held && (mustHave === undefined || (await held).byCode.has(mustHave))) return held;
  const tree = knex('regions')
    .select<{ code: string; name: string; level: RegionNode['level']; parent_code: string | null }[]>('code', 'name', 'level', 'parent_code')
    .orderBy('code')
    .then((rows) => {
      const byCode = new Map<string, RegionNode>();
      const children = new Map<string, RegionNode[]>();
      for (const r of rows) {
        const node: RegionNode = { code: r.code, name: r.name, level: r.level, parentCode: r.parent_code };
        byCode.set(r.code, node);
        if (r.parent_code === null) continue;
        const siblings = children.get(r.parent_code);
        if (siblings) siblings.push(node);
        else children.set(r.parent_code, [node]);
      }
      return { byCode, children };
    });
  // A failed read is not remembered: the next request asks again.
  tree.catch(() => trees.delete(knex));
  trees.set(knex, tree);
  return tree;
}

/** `code` and every region below it, level by level, each level in code order (nothing when the tree lacks it). */
export function regionsByLevel(tree: RegionTree, code: string): RegionNode[] {
  const top = tree.byCode.get(code);
  if (!top) return [];
  const out = [top];
  for (let level = [top]; level.length; ) {
    level = level.flatMap((r) => tree.children.get(r.code) ?? []).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    out.push(...level);
  }
  return out;
}
