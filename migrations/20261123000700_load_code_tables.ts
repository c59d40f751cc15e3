import type { Knex } from 'knex';
import { upsertCodeTables } from './lib/code-tables.js';

const ROLES = [
  { key: 'staff', name: '财经委/预工委工作人员', description: '审核预警、调整阈值、触发数据加载、生成报告' },
  { key: 'deputy', name: '人大代表', description: '只读浏览全部页面与数据，可导出、可提出审议意见' },
  { key: 'admin', name: '系统管理员', description: '用户、角色、地区、数据源与调度' },
];

export async function up(knex: Knex): Promise<void> {
  await knex('roles').insert(ROLES);
  await upsertCodeTables(knex);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['revenue_classes', 'econ_classes', 'func_classes', 'fund_types', 'roles']) {
    await knex(table).del();
  }
  // Children before parents (self-referencing hierarchy).
  await knex('regions').where('level', 'county').del();
  await knex('regions').where('level', 'city').del();
  await knex('regions').del();
}
