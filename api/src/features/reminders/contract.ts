import { z } from 'zod';
import { envelope, isoDate, regionCode, regionId } from '../../contract/common.js';

/** One 交办 item of a night's reminder list: past its 答复期限 or due within REMINDER_DAYS. */
export const Reminder = z.strictObject({
  /** The alert's public id, `411100-42`. */
  alertId: regionId('预警'),
  ruleId: z.string(),
  ruleName: z.string().nullable(),
  subjectName: z.string().nullable(),
  regionCode,
  regionName: z.string().nullable(),
  agencyCode: z.string(),
  agencyName: z.string().nullable(),
  replyDeadline: isoDate,
  /** Days from the list's date to the deadline; negative = overdue by that many days. */
  daysLeft: z.number().int(),
});
export type Reminder = z.infer<typeof Reminder>;

export const ReminderList = z.strictObject({
  /** The night the list was made (the clock's today then); null = no list made yet. */
  listedOn: isoDate.nullable(),
  /** How near a deadline must be to be listed. */
  withinDays: z.number().int(),
  items: z.array(Reminder),
});
export type ReminderList = z.infer<typeof ReminderList>;

export const reminderResponses = {
  'GET /reminders': envelope(ReminderList),
  'POST /reminders': envelope(ReminderList),
};
