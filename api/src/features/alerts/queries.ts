import type { Knex } from 'knex';
import { toRegionId, type RegionKey } from '../../contract/common.js';
import type { Alert, AlertEvent, AlertStats, DrillLink, Severity } from './contract.js';
import type { ListAlertsQuery } from './schema.js';
import { OPEN_STATUSES, STATUS_ZH, type AlertStatus } from './workflow.js';

export interface AlertRow {
  id: string;
  rule_id: string;
  region_code: string;
  region_name: string | null;
  subject_type: string;
  subject_key: string;
  subject_name: string | null;
  period: string;
  severity: Severity;
  status: AlertStatus;
  measured: Record<string, string>;
  threshold: Record<string, string>;
  explanation: string;
  drill_link: DrillLink;
  rule_version: number;
  evaluation_id: string | null;
  assigned_agency_code: string | null;
  assigned_agency_name: string | null;
  reply_deadline: string | null;
  opened_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());

/** An alert row as the API answers it (contract.ts). */
export function toAlert(r: AlertRow, ruleName: (id: string) => string | undefined): Alert {
  return {
    id: toRegionId(r.region_code, r.id),
    ruleId: r.rule_id,
    ruleName: ruleName(r.rule_id) ?? r.rule_id,
    regionCode: r.region_code,
    regionName: r.region_name,
    subjectType: r.subject_type,
    subjectKey: r.subject_key,
    subjectName: r.subject_name,
    period: r.period,
    severity: r.severity,
    status: r.status,
    statusZh: STATUS_ZH[r.status],
    open: r.closed_at == null,
    measured: r.measured,
    threshold: r.threshold,
    explanation: r.explanation,
    drillLink: r.drill_link,
    ruleVersion: r.rule_version,
    evaluationId: r.evaluation_id == null ? null : String(r.evaluation_id),
    assignedAgencyCode: r.assigned_agency_code,
    assignedAgencyName: r.assigned_agency_name,
    replyDeadline: r.reply_deadline,
    openedAt: iso(r.opened_at),
    updatedAt: iso(r.updated_at),
    closedAt: iso(r.closed_at),
  };
}

function baseQuery(knex: Knex) {
  return knex('alerts as a')
    .leftJoin('regions as r', 'r.code', 'a.region_code')
    .leftJoin('agencies as g', function () {
      this.on('g.region_code', 'a.region_code').andOn('g.agency_code', 'a.assigned_agency_code');
    })
    .select('a.*', 'r.name as region_name', 'g.agency_name as assigned_agency_name');
}

/** Alerts in `regionCodes` matching the filters, most severe and newest first. */
export async function listAlerts(
  knex: Knex,
  regionCodes: string[],
  q: ListAlertsQuery,
  ctx: { today: string; userId: string },
): Promise<{ rows: AlertRow[]; total: number }> {
  // The regions as one array parameter: a province's 178 codes as an IN list were 178
  // parameters to send, and to estimate one by one when planning, in both the count and the page.
  const filtered = knex('alerts as a').whereRaw('a.region_code = any(?::text[])', [regionCodes]);
  if (q.region) filtered.where('a.region_code', q.region);
  if (q.rule) filtered.where('a.rule_id', q.rule);
  if (q.severity) filtered.where('a.severity', q.severity);
  if (q.status?.length) {
    const statuses = q.status;
    filtered.where((w) => {
      for (const s of statuses) {
        if (s === 'open') w.orWhereNull('a.closed_at');
        else if (s === 'closed_any') w.orWhereNotNull('a.closed_at');
        else w.orWhere('a.status', s);
      }
    });
  }
  if (q.period) filtered.where('a.period', 'like', `${q.period.replace(/[%_\\]/g, '\\$&')}%`);
  // The department behind an alert is the one its drill-down link names (or the subject itself).
  if (q.dept) {
    filtered.where((w) =>
      w.whereRaw("a.drill_link->'query'->>'dept' = ?", [q.dept!]).orWhere('a.subject_key', `department:${q.dept}`),
    );
  }
  if (q.subject) filtered.where('a.subject_key', q.subject);
  if (q.overdue) filtered.where('a.status', 'assigned').where('a.reply_deadline', '<', ctx.today);
  // 我的交办: still open, and the latest 交办 of it was made by this user.
  if (q.mine) {
    filtered.whereNull('a.closed_at').whereRaw(
      `(select e.actor_id from alert_events e where e.region_code = a.region_code and e.alert_id = a.id and e.to_status = 'assigned' order by e.created_at desc, e.id desc limit 1) = ?`,
      [ctx.userId],
    );
  }
  if (q.assignedTo) filtered.where('a.assigned_agency_code', q.assignedTo);
  // The count and the page are independent: asked at once, not one after the other.
  const count = filtered.clone().count({ n: '*' });
  const ids = filtered
    .clone()
    .select('a.region_code', 'a.id')
    .orderByRaw("case a.severity when 'red' then 0 when 'orange' then 1 else 2 end")
    .orderBy('a.opened_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [[{ n }], rows] = await Promise.all([
    count,
    baseQuery(knex)
      .whereIn(['a.region_code', 'a.id'], ids)
      .orderByRaw("case a.severity when 'red' then 0 when 'orange' then 1 else 2 end")
      .orderBy('a.opened_at', 'desc')
      .orderBy('a.id', 'desc') as Promise<AlertRow[]>,
  ]);
  return { rows, total: Number(n) };
}

/** An alert as the database keys it: by region and id (the public id `411100-42` is both). */
export type AlertKey = RegionKey;

export async function getAlert(knex: Knex, key: AlertKey): Promise<AlertRow | undefined> {
  return baseQuery(knex).where({ 'a.region_code': key.regionCode, 'a.id': key.id }).first();
}

export async function alertEvents(knex: Knex, key: AlertKey): Promise<AlertEvent[]> {
  const rows = await knex('alert_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .where({ 'e.region_code': key.regionCode, 'e.alert_id': key.id })
    .orderBy('e.created_at')
    .orderBy('e.id')
    .select('e.*', 'u.username', 'u.display_name');
  return rows.map((e) => ({
    id: String(e.id),
    kind: e.kind,
    fromStatus: e.from_status,
    toStatus: e.to_status,
    actor: e.actor_id == null ? null : { id: String(e.actor_id), username: e.username, displayName: e.display_name },
    note: e.note,
    data: e.data,
    createdAt: iso(e.created_at),
  }));
}

/** Open alerts by severity and by rule × severity, for the overview and the report. */
export async function alertStats(knex: Knex, regionCodes: string[], period?: string): Promise<AlertStats> {
  const q = knex('alerts').whereRaw('region_code = any(?::text[])', [regionCodes]).whereNull('closed_at');
  if (period) q.where('period', 'like', `${period}%`);
  const rows = (await q
    .clone()
    .select('rule_id', 'severity')
    .count({ n: '*' })
    .groupBy('rule_id', 'severity')
    .orderBy('rule_id')) as unknown as { rule_id: string; severity: string; n: string }[];
  const bySeverity: Record<string, number> = { red: 0, orange: 0, yellow: 0 };
  const byRule: Record<string, Record<string, number>> = {};
  for (const r of rows) {
    bySeverity[r.severity] = (bySeverity[r.severity] ?? 0) + Number(r.n);
    (byRule[r.rule_id] ??= { red: 0, orange: 0, yellow: 0 })[r.severity] = Number(r.n);
  }
  return { open: Object.values(bySeverity).reduce((a, b) => a + b, 0), bySeverity, byRule, openStatuses: [...OPEN_STATUSES] };
}
