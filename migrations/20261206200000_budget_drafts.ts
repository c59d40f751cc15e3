import type { Knex } from 'knex';

// The budget_drafts feed (预决算报表: draft, adjustment, approved budget, final accounts), one row
// per line of the document, with lineage like every feed table; and the review of a document:
// the findings of the checks D01–D14 (REVIEW.md) with staff's decision on each.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('budget_drafts', (t) => {
    t.text('region_code').notNullable().references('regions.code');
    t.bigInteger('batch_id').notNullable().references('batches.id');
    t.integer('source_line').notNullable();
    t.smallint('fiscal_year').notNullable();
    t.text('stage').notNullable();
    t.text('line_no').notNullable();
    t.text('budget_type').notNullable();
    t.text('direction').notNullable();
    t.text('agency_code'); // empty = the region's total budget (总预算) line
    t.text('func_code');
    t.text('econ_code');
    t.text('revenue_code');
    t.text('spending_kind');
    t.text('project_code');
    t.text('project_name');
    t.decimal('amount', 18, 2).notNullable();
    t.decimal('prior_budget', 18, 2);
    t.decimal('prior_actual', 18, 2);
    t.text('note');
    t.primary(['region_code', 'fiscal_year', 'stage', 'line_no']);
    t.check("stage in ('草案','调整','批准','决算')", [], 'budget_drafts_stage_check');
    t.check("direction in ('收入','支出')", [], 'budget_drafts_direction_check');
    t.index(['region_code', 'fiscal_year', 'stage', 'agency_code']);
  });

  // One row per finding of a check on one document (region × fiscal year × stage); a re-run
  // updates the figures of a finding it finds again (same check and subject) and keeps the
  // decision, and removes what it no longer finds unless staff decided on it.
  await knex.schema.createTable('review_findings', (t) => {
    t.bigIncrements('id');
    t.text('region_code').notNullable().references('regions.code');
    t.smallint('fiscal_year').notNullable();
    t.text('stage').notNullable();
    t.text('check_id').notNullable(); // D01..D14
    t.integer('check_version').notNullable();
    t.text('subject_key').notNullable();
    t.specificType('line_nos', 'text[]').notNullable();
    t.text('severity').notNullable(); // note 提示 | attention 关注 | issue 问题
    t.text('category').notNullable(); // 合法性 | 完整性 | 合理性 | 绩效
    t.jsonb('figures').notNullable(); // decimal strings
    t.text('basis').notNullable();
    t.text('explanation').notNullable();
    t.text('agency_code');
    t.boolean('current').notNullable().defaultTo(true); // false = the latest run no longer finds it
    t.text('decision'); // null = undecided | accepted | rejected
    t.text('decision_note');
    t.bigInteger('decided_by').references('users.id');
    t.timestamp('decided_at', { useTz: true });
    t.timestamp('found_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['region_code', 'fiscal_year', 'stage', 'check_id', 'subject_key']);
    t.check("severity in ('note','attention','issue')", [], 'review_findings_severity_check');
    t.check("decision is null or decision in ('accepted','rejected')", [], 'review_findings_decision_check');
  });

  // Opinions (审议意见) may also be on a line of a document or on a finding.
  await knex.schema.alterTable('review_opinions', (t) => {
    t.bigInteger('review_finding_id').references('review_findings.id').onDelete('CASCADE');
    t.smallint('draft_fiscal_year');
    t.text('draft_stage');
    t.text('draft_line_no');
    t.index(['review_finding_id']);
    t.index(['region_code', 'draft_fiscal_year', 'draft_stage']);
  });
  await knex.raw('alter table review_opinions drop constraint review_opinions_target_check');
  await knex.raw(
    `alter table review_opinions add constraint review_opinions_target_check
       check (alert_id is not null or agency_code is not null or review_finding_id is not null or draft_line_no is not null)`,
  );

  // Archived 初审意见 documents, like reports.
  await knex.schema.createTable('review_opinion_docs', (t) => {
    t.bigIncrements('id');
    t.text('region_code').notNullable().references('regions.code');
    t.smallint('fiscal_year').notNullable();
    t.text('stage').notNullable();
    t.specificType('finding_ids', 'bigint[]').notNullable();
    t.binary('content').notNullable();
    t.text('sha256').notNullable();
    t.bigInteger('generated_by').references('users.id');
    t.timestamp('generated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['region_code', 'fiscal_year', 'stage']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('review_opinion_docs');
  await knex('review_opinions').whereNull('alert_id').whereNull('agency_code').delete();
  await knex.raw('alter table review_opinions drop constraint review_opinions_target_check');
  await knex.raw('alter table review_opinions add constraint review_opinions_target_check check (alert_id is not null or agency_code is not null)');
  await knex.schema.alterTable('review_opinions', (t) => {
    t.dropColumn('review_finding_id');
    t.dropColumn('draft_fiscal_year');
    t.dropColumn('draft_stage');
    t.dropColumn('draft_line_no');
  });
  await knex.schema.dropTable('review_findings');
  await knex.schema.dropTable('budget_drafts');
}
