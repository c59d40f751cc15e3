import type { Knex } from 'knex';
import { addDays, daysBetween } from '../../clock.js';
import { toRegionId } from '../../contract/common.js';
import { ruleById } from '../../rules/index.js';
import type { Reminder, ReminderList } from './contract.js';

/** A 交办 item is listed from this many days before its 答复期限 (and every night after it). */
export const REMINDER_DAYS = 3;

/**
 * The night's reminder list: every alert still waiting for its department's answer (交办,
 * status assigned) whose reply deadline is at most REMINDER_DAYS after `today`, overdue ones
 * included. Made once a night (the nightly job), kept per night; making it again the same
 * night replaces that night's rows. Returns how many items it listed.
 */
export async function makeReminderList(knex: Knex, today: string): Promise<number> {
  return knex.transaction(async (trx) => {
    await trx('reply_reminders').where({ listed_on: today }).delete();
    const due = await trx('alerts')
      .where({ status: 'assigned' })
      .whereNotNull('reply_deadline')
      .whereNotNull('assigned_agency_code')
      .where('reply_deadline', '<=', addDays(today, REMINDER_DAYS))
      .select('id', 'region_code', 'assigned_agency_code', 'reply_deadline');
    if (due.length) {
      await trx('reply_reminders').insert(
        due.map((a) => ({
          listed_on: today, region_code: a.region_code, alert_id: a.id, agency_code: a.assigned_agency_code,
          reply_deadline: a.reply_deadline, days_left: daysBetween(today, a.reply_deadline),
        })),
      );
    }
    return due.length;
  });
}

/** The latest list made on or before `on`, the items of `regionCodes` only, most overdue first. */
export async function reminderList(knex: Knex, regionCodes: string[], on: string): Promise<ReminderList> {
  const latest = await knex('reply_reminders').where('listed_on', '<=', on).max<{ d: string | null }>('listed_on as d').first();
  const listedOn = latest?.d ?? null;
  if (!listedOn) return { listedOn: null, withinDays: REMINDER_DAYS, items: [] };
  const rows = await knex('reply_reminders as r')
    .join('alerts as a', (j) => j.on('a.region_code', 'r.region_code').andOn('a.id', 'r.alert_id'))
    .leftJoin('regions as g', 'g.code', 'r.region_code')
    .leftJoin('agencies as ag', (j) => j.on('ag.region_code', 'r.region_code').andOn('ag.agency_code', 'r.agency_code'))
    .where('r.listed_on', listedOn)
    .whereIn('r.region_code', regionCodes)
    .orderBy([{ column: 'r.days_left' }, { column: 'r.alert_id' }])
    .select('r.alert_id', 'a.rule_id', 'a.subject_name', 'r.region_code', 'g.name as region_name', 'r.agency_code', 'ag.agency_name', 'r.reply_deadline', 'r.days_left');
  const items: Reminder[] = rows.map((r) => ({
    alertId: toRegionId(r.region_code, r.alert_id),
    ruleId: r.rule_id,
    ruleName: ruleById(r.rule_id)?.nameZh ?? null,
    subjectName: r.subject_name ?? null,
    regionCode: r.region_code,
    regionName: r.region_name ?? null,
    agencyCode: r.agency_code,
    agencyName: r.agency_name ?? null,
    replyDeadline: r.reply_deadline,
    daysLeft: r.days_left,
  }));
  return { listedOn, withinDays: REMINDER_DAYS, items };
}
