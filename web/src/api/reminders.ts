import type { ReminderList } from '@contract/reminders';
import { api } from './client';

export type { Reminder, ReminderList } from '@contract/reminders';

export const remindersApi = {
  /** The latest nightly list of 交办 items past or near their 答复期限. */
  latest: () => api.get<ReminderList>('/reminders'),
  /** Make today's list now, as the night would (staff). */
  remake: () => api.post<ReminderList>('/reminders'),
};
