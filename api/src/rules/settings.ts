import type { Knex } from 'knex';
import { createError, ErrorCode } from '../errors.js';
import type { RuleDefinition } from './define-rule.js';

/**
 * The settings a region's evaluation uses: its own override, else the nearest region above it
 * with one, else the defaults (region null). `regionCode` says where they were set.
 */
export interface RuleSetting {
  ruleId: string;
  enabled: boolean;
  version: number;
  params: unknown;
  /** The region whose row this is; null = the defaults. */
  regionCode: string | null;
  updatedBy: string | null;
  updatedAt: string;
}

interface SettingRow {
  rule_id: string;
  enabled: boolean;
  version: number;
  params: unknown;
  region_code: string | null;
  updated_by: string | null;
  updated_at: Date;
}

const toSetting = (r: SettingRow): RuleSetting => ({
  ruleId: r.rule_id,
  enabled: r.enabled,
  version: r.version,
  params: r.params,
  regionCode: r.region_code ?? null,
  updatedBy: r.updated_by == null ? null : String(r.updated_by),
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** What the settings need of a rule — the budget review's checks (api/src/review) have it too. */
type Settable = Pick<RuleDefinition<any>, 'id' | 'defaults' | 'paramsSchema'>;

/** `regionCode` and every region above it, nearest first (depth 0 = the region itself). */
export const REGION_AND_ANCESTORS_SQL = `with recursive up as (
    select code, parent_code, 0 as depth from regions where code = ?
    union all
    select r.code, r.parent_code, up.depth + 1 from regions r join up on r.code = up.parent_code)`;

/**
 * Gives every registered rule a default settings row: a rule added after the seeding migration
 * starts at version 1 with its defaults and a history row, so adding a rule needs no migration.
 * A write, so it runs on the write paths only — start-up (every rule and check), an evaluation,
 * a review run, a settings change — never on a read: GET /rules may be served by a read-only
 * replica (DATABASE_READ_URL).
 */
export async function ensureRuleSettings(knex: Knex, rules: readonly Settable[]): Promise<void> {
  const rows = rules.map((r) => ({ rule_id: r.id, enabled: true, params: JSON.stringify(r.defaults), version: 1 }));
  const inserted: { rule_id: string; params: unknown }[] = await knex('rule_settings')
    .insert(rows)
    .onConflict(knex.raw("(rule_id, (coalesce(region_code, '')))"))
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

/**
 * What a rule without any row reads as: exactly the row ensureRuleSettings would insert
 * (version 1, enabled, its defaults). A rule registered since start-up's ensureRuleSettings,
 * or a database that never ran it (a test's), reads the same as after it.
 */
const unseeded = (rule: Settable): SettingRow => ({
  rule_id: rule.id, enabled: true, version: 1, params: rule.defaults, region_code: null, updated_by: null, updated_at: new Date(),
});

/** The effective row per rule for `regionCode` (nearest override, else the default); defaults only without a region. */
async function effectiveRows(knex: Knex, ruleIds: string[], regionCode: string | null | undefined): Promise<SettingRow[]> {
  const { rows } = await knex.raw<{ rows: SettingRow[] }>(
    `${REGION_AND_ANCESTORS_SQL}
     select distinct on (s.rule_id) s.rule_id, s.enabled, s.version, s.params, s.region_code, s.updated_by, s.updated_at
       from rule_settings s left join up on up.code = s.region_code
      where s.rule_id = any(?::text[]) and (s.region_code is null or up.code is not null)
      order by s.rule_id, s.region_code is null, up.depth`,
    [regionCode ?? '', ruleIds],
  );
  return rows;
}

/**
 * Settings of the registered rules for a region (its own, inherited from above, or the
 * defaults), keyed by rule id, parameters validated against each rule's schema. Reads only.
 */
export async function loadRuleSettings(
  knex: Knex,
  rules: readonly Settable[],
  regionCode?: string | null,
): Promise<Map<string, RuleSetting>> {
  const rows = await effectiveRows(knex, rules.map((r) => r.id), regionCode);
  const found = new Set(rows.map((r) => r.rule_id));
  for (const rule of rules) if (!found.has(rule.id)) rows.push(unseeded(rule));
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
  /** The region the change is for (its override row); absent = the defaults. */
  regionCode?: string | null;
}

/**
 * Writes a new version of a rule's settings for one region (or the defaults) and its history
 * row (who, when, which region, old, new, why). A region without an override starts from
 * what it inherited. The default row's lock serialises all changes of a rule, so versions
 * stay unique per rule across regions.
 */
export async function updateRuleSetting(knex: Knex, rule: Settable, change: SettingChange): Promise<RuleSetting> {
  await ensureRuleSettings(knex, [rule]);
  const regionCode = change.regionCode ?? null;
  return knex.transaction(async (trx) => {
    await trx('rule_settings').where({ rule_id: rule.id }).whereNull('region_code').forUpdate().first();
    const [current] = await effectiveRows(trx, [rule.id], regionCode);
    const { rows: [{ max }] } = await trx.raw<{ rows: { max: number }[] }>(
      'select greatest((select max(version) from rule_setting_history where rule_id = ?), (select max(version) from rule_settings where rule_id = ?)) as max',
      [rule.id, rule.id],
    );
    const params = change.params ?? current!.params;
    const enabled = change.enabled ?? current!.enabled;
    const version = Number(max) + 1;
    const values = { params: JSON.stringify(params), enabled, version, updated_by: change.userId, updated_at: trx.fn.now() };
    const [row]: SettingRow[] = await trx('rule_settings')
      .insert({ rule_id: rule.id, region_code: regionCode, ...values })
      .onConflict(trx.raw("(rule_id, (coalesce(region_code, '')))"))
      .merge(values)
      .returning('*');
    await trx('rule_setting_history').insert({
      rule_id: rule.id, region_code: regionCode, version, params_old: JSON.stringify(current!.params), params_new: JSON.stringify(params),
      enabled_old: current!.enabled, enabled_new: enabled, changed_by: change.userId, reason: change.reason,
    });
    return toSetting(row!);
  });
}

/**
 * A staff change from the API (PUT /rules/:id, PUT /review/checks/:id): the parameters are
 * checked against the rule's (or check's) own schema first — a 400 naming params.<field> —
 * then written as a new version by updateRuleSetting.
 */
export async function changeRuleSetting(knex: Knex, rule: Settable, change: SettingChange): Promise<RuleSetting> {
  let params: unknown;
  if (change.params !== undefined) {
    const parsed = rule.paramsSchema.safeParse(change.params);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ field: ['params', ...i.path.map(String)].join('.'), message: i.message }));
      throw createError(ErrorCode.VALIDATION, `字段 ${issues[0]!.field}: ${issues[0]!.message}`, 400, { issues });
    }
    params = parsed.data;
  }
  return updateRuleSetting(knex, rule, { ...change, params });
}

export interface SettingHistoryEntry {
  version: number;
  /** The region the change was made for; null = the defaults. */
  regionCode: string | null;
  regionName: string | null;
  paramsOld: unknown;
  paramsNew: unknown;
  enabledOld: boolean | null;
  enabledNew: boolean;
  changedBy: { id: string; username: string; displayName: string } | null;
  reason: string;
  changedAt: string;
}

/** The changes that shaped a region's settings of a rule: its own, those of the regions above it, the defaults'. */
export async function ruleSettingHistory(knex: Knex, ruleId: string, regionCode?: string | null): Promise<SettingHistoryEntry[]> {
  const { rows } = await knex.raw<{ rows: any[] }>(
    `${REGION_AND_ANCESTORS_SQL}
     select h.*, u.username, u.display_name, r.name as region_name
       from rule_setting_history h
       left join users u on u.id = h.changed_by
       left join regions r on r.code = h.region_code
      where h.rule_id = ? and (h.region_code is null or h.region_code in (select code from up))
      order by h.version desc`,
    [regionCode ?? '', ruleId],
  );
  return rows.map((r) => ({
    version: r.version,
    regionCode: r.region_code ?? null,
    regionName: r.region_name ?? null,
    paramsOld: r.params_old,
    paramsNew: r.params_new,
    enabledOld: r.enabled_old,
    enabledNew: r.enabled_new,
    changedBy: r.changed_by == null ? null : { id: String(r.changed_by), username: r.username, displayName: r.display_name },
    reason: r.reason,
    changedAt: new Date(r.changed_at).toISOString(),
  }));
}
