import type { Knex } from 'knex';

/**
 * What the 问数 parser knows: the names of the user's regions, their departments and budget
 * units, and the function / economic classification, each with the short forms people say
 * (临颍 for 临颍县, 教育 for 教育支出, 人社局 for 人力资源和社会保障局).
 */
export interface Entity {
  kind: 'region' | 'dept' | 'unit' | 'func' | 'econ';
  code: string;
  name: string;
  /** dept / unit: the region it belongs to; unit: its department. */
  regionCode?: string;
  deptCode?: string;
}

export interface Lexicon {
  /** The user's own region (全市, 本级 and a question without a region mean it). */
  home: { code: string; name: string; level: string };
  regions: { code: string; name: string; level: string; parentCode: string | null }[];
  /** Surface form → the entities it can mean (教育局 is in every county). */
  forms: Map<string, Entity[]>;
}

/** Common short names of departments, used only when the full name exists in the data. */
const DEPT_ABBREVIATIONS: Record<string, string[]> = {
  人力资源和社会保障局: ['人社局', '人社'],
  卫生健康委员会: ['卫健委', '卫生健康委', '卫生局', '卫健'],
  发展和改革委员会: ['发改委'],
  住房和城乡建设局: ['住建局'],
  农业农村局: ['农业局', '农业农村'],
  教育局: ['教育体育局'],
  自然资源和规划局: ['自然资源局', '资规局'],
  生态环境局: ['环保局'],
  市场监督管理局: ['市场监管局'],
  交通运输局: ['交通局'],
};

/** Short forms of a region: 临颍县 → 临颍, 漯河市 → 漯河 (never a one-character stem). */
export function regionAliases(name: string): string[] {
  const stem = name.replace(/(自治县|自治州|特别行政区|新区|市|县|区|省)$/, '');
  return stem.length >= 2 && stem !== name ? [name, stem] : [name];
}

/** Short forms of a class name: 教育支出 → 教育, 社会保障和就业支出 → 社会保障和就业, 社保. */
function classAliases(name: string): string[] {
  const out = [name];
  const stem = name.replace(/支出$/, '');
  if (stem !== name && stem.length >= 2) out.push(stem);
  if (stem === '社会保障和就业') out.push('社保', '社会保障', '就业');
  if (stem === '卫生健康') out.push('卫生', '医疗卫生');
  if (stem === '文化旅游体育与传媒') out.push('文化旅游', '文旅');
  if (stem === '城乡社区') out.push('城乡社区事务');
  return out;
}

export async function buildLexicon(knex: Knex, user: { regionCode: string; regionCodes: string[] }): Promise<Lexicon> {
  const [regions, agencies, funcs, econs] = await Promise.all([
    knex('regions').whereIn('code', user.regionCodes).select<{ code: string; name: string; level: string; parent_code: string | null }[]>('code', 'name', 'level', 'parent_code'),
    knex('agencies').whereIn('region_code', user.regionCodes).select<{ region_code: string; agency_code: string; agency_name: string; parent_code: string | null }[]>(
      'region_code', 'agency_code', 'agency_name', 'parent_code'),
    knex('func_classes').select<{ code: string; name: string }[]>('code', 'name'),
    knex('econ_classes').select<{ code: string; name: string }[]>('code', 'name'),
  ]);
  const forms = new Map<string, Entity[]>();
  const add = (form: string, e: Entity) => {
    const list = forms.get(form) ?? [];
    if (!list.some((x) => x.kind === e.kind && x.code === e.code && x.regionCode === e.regionCode)) list.push(e);
    forms.set(form, list);
  };
  for (const r of regions) for (const f of regionAliases(r.name)) add(f, { kind: 'region', code: r.code, name: r.name });
  for (const a of agencies) {
    const dept = !a.parent_code;
    const e: Entity = dept
      ? { kind: 'dept', code: a.agency_code, name: a.agency_name, regionCode: a.region_code }
      : { kind: 'unit', code: a.agency_code, name: a.agency_name, regionCode: a.region_code, deptCode: a.parent_code! };
    // Delivered names usually carry their region (漯河市教育局); people say 教育局.
    const regionName = regions.find((r) => r.code === a.region_code)?.name ?? '';
    const prefix = regionAliases(regionName).find((p) => a.agency_name.startsWith(p) && a.agency_name.length > p.length + 1);
    const bare = prefix ? a.agency_name.slice(prefix.length) : a.agency_name;
    for (const form of new Set([a.agency_name, bare])) add(form, e);
    if (dept) for (const abbr of DEPT_ABBREVIATIONS[bare] ?? []) add(abbr, e);
  }
  // 类 and 款 of both classifications; a 项 only when its name is its own (行政运行 is under every 款).
  const itemNames = new Map<string, number>();
  for (const f of funcs) if (f.code.length === 7) itemNames.set(f.name, (itemNames.get(f.name) ?? 0) + 1);
  for (const f of funcs) {
    if (f.code.length === 7 && itemNames.get(f.name)! > 1) continue;
    for (const form of classAliases(f.name)) add(form, { kind: 'func', code: f.code, name: f.name });
  }
  for (const c of econs) for (const form of classAliases(c.name)) if (!forms.get(form)?.some((e) => e.kind === 'func')) add(form, { kind: 'econ', code: c.code, name: c.name });
  const home = regions.find((r) => r.code === user.regionCode) ?? { code: user.regionCode, name: user.regionCode, level: '' };
  return { home: { code: home.code, name: home.name, level: home.level }, regions: regions.map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code })), forms };
}
