import type { Request } from 'express';
import type { Knex } from 'knex';
import { toRegionId } from '../../contract/common.js';
import { timeZoneOf, today } from '../../clock.js';
import { listRegions } from '../../middleware/region-scope.js';
import { parseInput } from '../../middleware/validate.js';
import { listAlerts } from '../alerts/queries.js';
import { listAlertsQuery } from '../alerts/schema.js';
import { ruleName } from '../alerts/service.js';
import { STATUS_ZH, type AlertStatus } from '../alerts/workflow.js';
import type { ExportView } from './views.js';
import type { TableRow } from './table-writer.js';

const SEVERITY_ZH: Record<string, string> = { red: '红色', orange: '橙色', yellow: '黄色' };
const EVENT_ZH: Record<string, string> = { raised: '规则引擎发现', updated: '数据变化，预警更新', cleared: '条件消除，自动关闭', reopened: '重新打开' };

/** "2026-12-05 14:03" in the office's time zone. */
const stamp = (d: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: timeZoneOf(), dateStyle: 'short', timeStyle: 'short' }).format(d);

/**
 * 预警台账: every alert the list's filters select, one row each, with its whole history (who,
 * when, what, the note and the files of each step) in the last column, one line per step.
 */
async function registerRows(knex: Knex, req: Request): Promise<AsyncIterable<TableRow>> {
  const q = parseInput(listAlertsQuery, req.query);
  const regions = await listRegions(knex, req, q);
  const ctx = { today: today(), userId: req.user!.id };
  return (async function* () {
    for (let page = 1; ; page++) {
      const { rows } = await listAlerts(knex, regions, { ...q, region: undefined, page, pageSize: 200 }, ctx);
      if (!rows.length) return;
      const events = await knex('alert_events as e')
        .leftJoin('users as u', 'u.id', 'e.actor_id')
        .whereIn(['e.region_code', 'e.alert_id'], rows.map((r) => [r.region_code, r.id]))
        .orderBy('e.created_at')
        .orderBy('e.id')
        .select('e.region_code', 'e.alert_id', 'e.kind', 'e.from_status', 'e.to_status', 'e.note', 'e.data', 'e.created_at', 'u.display_name');
      const history = new Map<string, string[]>();
      for (const e of events) {
        const what = e.kind === 'transition' ? `${STATUS_ZH[e.from_status as AlertStatus] ?? e.from_status} → ${STATUS_ZH[e.to_status as AlertStatus] ?? e.to_status}` : (EVENT_ZH[e.kind] ?? e.kind);
        const data = (e.data ?? {}) as { attachments?: string[]; assignedAgencyCode?: string; replyDeadline?: string };
        const extra = [
          data.replyDeadline ? `答复期限 ${data.replyDeadline}` : '',
          data.attachments?.length ? `附件：${data.attachments.join('、')}` : '',
        ].filter(Boolean);
        const line = `${stamp(new Date(e.created_at))} ${e.display_name ?? '系统'}：${what}${e.note && e.kind === 'transition' ? `；${e.note}` : ''}${extra.length ? `；${extra.join('；')}` : ''}`;
        const alert = toRegionId(e.region_code, e.alert_id);
        history.set(alert, [...(history.get(alert) ?? []), line]);
      }
      for (const r of rows) {
        yield {
          id: toRegionId(r.region_code, r.id),
          rule: `${r.rule_id} ${ruleName(r.rule_id) ?? ''}`.trim(),
          severity: SEVERITY_ZH[r.severity] ?? r.severity,
          status: STATUS_ZH[r.status],
          region: r.region_name ?? r.region_code,
          subject: r.subject_name ?? r.subject_key,
          period: r.period,
          explanation: r.explanation,
          agency: r.assigned_agency_name ?? r.assigned_agency_code ?? '',
          deadline: r.reply_deadline,
          opened: stamp(new Date(r.opened_at)),
          closed: r.closed_at ? stamp(new Date(r.closed_at)) : '',
          history: (history.get(toRegionId(r.region_code, r.id)) ?? []).join('\n'),
        };
      }
      if (rows.length < 200) return;
    }
  })();
}

export const ALERT_REGISTER: ExportView = {
  title: '预警台账',
  columns: [
    { key: 'id', header: '预警编号', type: 'text', width: 14 },
    { key: 'rule', header: '规则', type: 'text', width: 22 },
    { key: 'severity', header: '等级', type: 'text', width: 8 },
    { key: 'status', header: '状态', type: 'text', width: 10 },
    { key: 'region', header: '地区', type: 'text', width: 10 },
    { key: 'subject', header: '对象', type: 'text', width: 28 },
    { key: 'period', header: '期间', type: 'text', width: 10 },
    { key: 'explanation', header: '预警说明', type: 'text', width: 48 },
    { key: 'agency', header: '交办部门', type: 'text', width: 18 },
    { key: 'deadline', header: '答复期限', type: 'date' },
    { key: 'opened', header: '发现时间', type: 'text', width: 17 },
    { key: 'closed', header: '办结时间', type: 'text', width: 17 },
    { key: 'history', header: '处理记录（时间 人员：动作；说明；附件）', type: 'text', width: 80 },
  ],
  rows: registerRows,
};
