import type { Knex } from 'knex';

// Issue 15, 重点监督: the feeds performance_targets (绩效目标与监控) and transfer_payments
// (转移支付与直达资金) of DATA-INTERFACE.md, one table each, columns named as the feed's keys.
// Lineage as every feed table (region_code, batch_id, source_line); the region leads every key.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('performance_targets', (t) => {
    t.text('region_code').notNullable().references('regions.code');
    t.bigInteger('batch_id').notNullable().references('batches.id');
    t.integer('source_line').notNullable();
    // The budget indicator (or, before it is issued, the project_code) the target belongs to.
    t.text('indicator_no').notNullable();
    t.text('target_no').notNullable();
    t.smallint('fiscal_year').notNullable();
    t.text('level1').notNullable(); // 产出 / 效益 / 满意度 / 成本
    t.text('level2');
    t.text('target_name').notNullable();
    t.text('direction').notNullable(); // ≥ / ≤ / = / 定性
    // Text as delivered: a decimal for the quantitative directions (the loader checks it), the
    // target's wording for 定性. Rules cast it where direction <> '定性'.
    t.text('target_value').notNullable();
    t.text('unit');
    t.text('actual_value');
    t.date('actual_as_of');
    t.decimal('self_score', 5, 2);
    t.primary(['region_code', 'indicator_no', 'target_no']);
    t.index(['region_code', 'fiscal_year']);
    t.check("direction in ('≥','≤','=','定性')", [], 'performance_targets_direction_check');
    t.check("level1 in ('产出','效益','满意度','成本')", [], 'performance_targets_level1_check');
  });

  await knex.schema.createTable('transfer_payments', (t) => {
    t.text('region_code').notNullable().references('regions.code');
    t.bigInteger('batch_id').notNullable().references('batches.id');
    t.integer('source_line').notNullable();
    t.text('transfer_no').notNullable();
    t.smallint('fiscal_year').notNullable();
    t.text('direction').notNullable(); // 收到上级 / 下达下级
    t.text('kind').notNullable(); // 一般性转移支付 / 共同财政事权转移支付 / 专项转移支付 / 直达资金
    t.text('counterpart_region').notNullable(); // division code; the loader checks it exists
    t.text('func_code');
    t.text('title').notNullable();
    t.decimal('amount', 18, 2).notNullable();
    t.date('received_on');
    t.date('allocated_on');
    t.text('indicator_no');
    t.primary(['region_code', 'transfer_no']);
    t.index(['region_code', 'fiscal_year', 'direction', 'kind']);
    t.index(['region_code', 'indicator_no']);
    t.check("direction in ('收到上级','下达下级')", [], 'transfer_payments_direction_check');
    t.check(
      "kind in ('一般性转移支付','共同财政事权转移支付','专项转移支付','直达资金')", [], 'transfer_payments_kind_check',
    );
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('transfer_payments');
  await knex.schema.dropTable('performance_targets');
}
