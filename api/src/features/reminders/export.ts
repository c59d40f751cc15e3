import type { ExportView } from '../exports/views.js';
import { fromArray, type TableRow } from '../exports/table-writer.js';
import { requestedList } from './routes.js';

/** The night's reminder list as a sheet (/exports/reminders), what the 工作台 shows. */
export const REMINDER_EXPORT: ExportView = {
  title: '交办答复提醒',
  columns: [
    { key: 'listedOn', header: '提醒日期', type: 'date' },
    { key: 'regionName', header: '地区', type: 'text' },
    { key: 'agencyName', header: '交办部门', type: 'text', width: 24 },
    { key: 'rule', header: '规则', type: 'text', width: 22 },
    { key: 'subjectName', header: '对象', type: 'text', width: 32 },
    { key: 'replyDeadline', header: '答复期限', type: 'date' },
    { key: 'state', header: '状态', type: 'text' },
    { key: 'alertId', header: '预警编号', type: 'text' },
  ],
  async rows(knex, req) {
    const list = await requestedList(knex, req);
    return fromArray(
      list.items.map((r) => ({
        ...r,
        listedOn: list.listedOn,
        agencyName: r.agencyName ?? r.agencyCode,
        rule: `${r.ruleId} ${r.ruleName ?? ''}`.trim(),
        state: r.daysLeft < 0 ? `逾期 ${-r.daysLeft} 天` : r.daysLeft === 0 ? '今日到期' : `${r.daysLeft} 天后到期`,
      })) as unknown as TableRow[],
    );
  },
};
