import type { Knex } from 'knex';

// Default thresholds of RULES.md as version 1 of each rule's settings, with a history row.
// A copy of each rule module's `defaults` (migrations never import app code); the test
// api/src/rules/evaluate.test.ts keeps the two equal. Rules added later seed themselves
// (ensureRuleSettings) and need no migration.
const DEFAULTS: Record<string, unknown> = {
  R01: { bands: { yellow: '10', orange: '20', red: '30' }, graceUntil: '04-01', minProjectIndicator: '500000' },
  R02: { tolerance: '0', severity: 'red' },
  R03: { severity: 'orange' },
  R04: { bands: { yellow: '20', orange: '35', red: '50' } },
  R05: { econCodes: ['30212', '30217', '30231', '30913', '31013'], overBudgetSeverity: 'red', growthSeverity: 'yellow', growthAbove: '0' },
  R06: { bands: { yellow: '25', orange: '35' } },
  R07: { bands: { yellow: '180' } },
  R08: { bands: { yellow: '5', orange: '10', red: '20' }, graceUntil: '04-01', funcClasses: ['205', '208', '210', '213'] },
  R09: { bands: { yellow: '5', orange: '10' } },
  R10: { minPercent: '1', maxPercent: '3', severity: 'orange' },
  R11: { bands: { yellow: '120', orange: '200', red: '300' } },
  R12: { overLimitSeverity: 'red', nearLimitSeverity: 'yellow', nearLimitPercent: '95' },
  R13: { severity: 'red' },
  R14: { bands: { yellow: '20', orange: '30' }, windowMonths: 12 },
  R15: {
    industries: {
      工业: { warning: '65', supervision: '70' },
      非工业: { warning: '70', supervision: '75' },
      科研设计: { warning: '60', supervision: '65' },
    },
    defaultIndustry: '非工业',
    categories: ['企业', '金融企业'],
    warningSeverity: 'orange',
    supervisionSeverity: 'red',
  },
  R16: { bands: { yellow: '365', orange: '730' } },
  R17: { severity: 'orange', seriousAfterDays: '90', seriousSeverity: 'red' },
  R18: { minYears: 2, severity: 'orange' },
};

export async function up(knex: Knex): Promise<void> {
  const ids = Object.keys(DEFAULTS);
  await knex('rule_settings').insert(ids.map((id) => ({ rule_id: id, enabled: true, version: 1, params: JSON.stringify(DEFAULTS[id]) })));
  await knex('rule_setting_history').insert(
    ids.map((id) => ({
      rule_id: id, version: 1, params_old: null, params_new: JSON.stringify(DEFAULTS[id]),
      enabled_old: null, enabled_new: true, changed_by: null, reason: '初始默认阈值（RULES.md）',
    })),
  );
  // 时序进度 convention: 'days' (elapsed days / days in year) or 'months' (completed months / 12).
  await knex('app_settings').insert({ key: 'time_progress_convention', value: JSON.stringify('days') }).onConflict('key').ignore();
}

export async function down(knex: Knex): Promise<void> {
  const ids = Object.keys(DEFAULTS);
  await knex('rule_setting_history').whereIn('rule_id', ids).del();
  await knex('rule_settings').whereIn('rule_id', ids).del();
  await knex('app_settings').where({ key: 'time_progress_convention' }).del();
}
