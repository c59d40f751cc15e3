import type { Knex } from 'knex';
import type { RuleDefinition } from './define-rule.js';

/** The current, validated parameters of a rule and the version that names them. */
export interface RuleSetting {
  ruleId: string;
  enabled: boolean;
  version: number;
  params: unknown;
  updatedBy: string | null;
  updatedAt: string;
}

interface SettingRow {
  rule_id: string;
  enabled: boolean;
  version: number;
  params: unknown;
  updated_by: string | null;
  updated_at: Date;
}

const toSetting = (r: SettingRow): RuleSetting => ({
  ruleId: r.rule_id,
  enabled: r.enabled,
  version: r.version,
  params: r.params,
  updatedBy: r.updated_by == null ? null : String(r.updated_by),
  updatedAt: new Date(r.updated_at).toISOString(),
});

/**
 * Gives every registered rule a settings row: a rule added after the seeding migration starts
 * at version 1 with its defaults and a history row, so adding a rule needs no migration.
 */
export async function ensureRuleSettings(knex: Knex, rules: readonly RuleDefinition<any>[]): Promise<void> {
  const rows = rules.map((r) => ({ rule_id: r.id, enabled: true, params: JSON.stringify(r.defaults), version: 1 }));
  const inserted: { rule_id: string; params: unknown }[] = await knex('rule_settings')
    .insert(rows)
    .onConflict('rule_id')
    .ignore()
    .returning(['rule_id', 'params']);
  if (inserted.length > 0) {
    await knex('rule_setting_history').insert(
      inserted.map((r) => ({
        rule_id: r.rule_id, version: 1, params_old: null, params_new: JSON.stringify(r.params),
        enabled_old: null, enabled_new: true, changed_by: null, reason: '默认阈值（规则首次启用）',
      })),
    );
  }
}

/** Settings of the registered rules, keyed by rule id, parameters validated against each rule's schema. */
export async function loadRuleSettings(knex: Knex, rules: readonly RuleDefinition<any>[]): Promise<Map<string, RuleSetting>> {
  await ensureRuleSettings(knex, rules);
  const rows: SettingRow[] = await knex('rule_settings').whereIn('rule_id', rules.map((r) => r.id));
  const byId = new Map<string, RuleSetting>();
  for (const row of rows) {
    const rule = rules.find((r) => r.id === row.rule_id)!;
    // Parameters a newer rule version added keep their defaults until staff set them.
    const parsed = rule.paramsSchema.safeParse({ ...(rule.defaults as object), ...(row.params as object) });
    if (!parsed.success) {
      throw new Error(`rule_settings ${row.rule_id} v${row.version}: stored parameters are invalid: ${parsed.error.message}`);
    }
    byId.set(row.rule_id, { ...toSetting(row), params: parsed.data });
  }
  return byId;
}

export interface SettingChange {
  params?: unknown;
  enabled?: boolean;
  reason: string;
  userId: string | null;
}

/**
 * Writes a new version of a rule's settings and its history row (who, when, old, new, why),
 * serialised per rule by a row lock so two edits cannot claim the same version.
 */
export async function updateRuleSetting(knex: Knex, rule: RuleDefinition<any>, change: SettingChange): Promise<RuleSetting> {
  await ensureRuleSettings(knex, [rule]);
  return knex.transaction(async (trx) => {
    const current: SettingRow = await trx('rule_settings').where({ rule_id: rule.id }).forUpdate().first();
    const params = change.params ?? current.params;
    const enabled = change.enabled ?? current.enabled;
    const version = current.version + 1;
    const [row]: SettingRow[] = await trx('rule_settings')
      .where({ rule_id: rule.id })
      .update({ params: JSON.stringify(params), enabled, version, updated_by: change.userId, updated_at: trx.fn.now() })
      .returning('*');
    await trx('rule_setting_history').insert({
      rule_id: rule.id, version, params_old: JSON.stringify(current.params), params_new: JSON.stringify(params),
      enabled_old: current.enabled, enabled_new: enabled, changed_by: change.userId, reason: change.reason,
    });
    return toSetting(row);
  });
}

export interface SettingHistoryEntry {
  version: number;
  paramsOld: unknown;
  paramsNew: unknown;
  enabledOld: boolean | null;
  enabledNew: boolean;
  changedBy: { id: string; username: string; displayName: string } | null;
  reason: string;
  changedAt: string;
}

export async function ruleSettingHistory(knex: Knex, ruleId: string): Promise<SettingHistoryEntry[]> {
  const rows = await knex('rule_setting_history as h')
    .leftJoin('users as u', 'u.id', 'h.changed_by')
    .where('h.rule_id', ruleId)
    .orderBy('h.version', 'desc')
    .select('h.*', 'u.username', 'u.display_name');
  return rows.map((r) => ({
    version: r.version,
    paramsOld: r.params_old,
    paramsNew: r.params_new,
    enabledOld: r.enabled_old,
    enabledNew: r.enabled_new,
    changedBy: r.changed_by == null ? null : { id: String(r.changed_by), username: r.username, displayName: r.display_name },
    reason: r.reason,
    changedAt: new Date(r.changed_at).toISOString(),
  }));
}
