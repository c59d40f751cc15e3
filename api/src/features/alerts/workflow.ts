import { AlertStatus } from './contract.js';

/**
 * The review workflow of an alert (预警处理流程):
 *   new 新预警 → confirmed 已确认 → assigned 已交办 → replied 已反馈 → closed 已销号
 * plus dismissed 误报 from any open state, and replied → assigned when a reply is not
 * accepted (交办 again). 'cleared' is set by the rules engine alone when the data no longer
 * meets the rule. closed, dismissed and cleared are final.
 */
// The states are the contract's (what the API answers); the workflow between them is here.
export const STATUSES = AlertStatus.options;
export type { AlertStatus };

export const STATUS_ZH: Record<AlertStatus, string> = {
  new: '新预警',
  confirmed: '已确认',
  assigned: '已交办',
  replied: '已反馈',
  closed: '已销号',
  dismissed: '误报',
  cleared: '已消除',
};

export const OPEN_STATUSES: readonly AlertStatus[] = ['new', 'confirmed', 'assigned', 'replied'];

/** Staff-driven target states and the states they may be reached from. */
export const TRANSITIONS: Record<'confirmed' | 'assigned' | 'replied' | 'closed' | 'dismissed', readonly AlertStatus[]> = {
  confirmed: ['new'],
  assigned: ['confirmed', 'replied'],
  replied: ['assigned'],
  closed: ['replied'],
  dismissed: OPEN_STATUSES,
};
export type TransitionTarget = keyof typeof TRANSITIONS;

export const canTransition = (from: AlertStatus, to: TransitionTarget) => TRANSITIONS[to].includes(from);
