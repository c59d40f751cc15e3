// Data, reports, users, auth, liaison, debt, assets, audit and health (one block, kept together for merging).
import { assetResponses } from '../features/assets/contract.js';
import { auditResponses } from '../features/audit/contract.js';
import { authResponses } from '../features/auth/contract.js';
import { dataResponses } from '../features/data/contract.js';
import { debtResponses } from '../features/debt/contract.js';
import { healthResponses } from '../features/health/contract.js';
import { liaisonResponses } from '../features/liaison/contract.js';
import { reportResponses } from '../features/reports/contract.js';
import { userResponses } from '../features/users/contract.js';
import type { z } from 'zod';
import { keySupervisionResponses } from '../features/key-supervision/contract.js';
import { askResponses } from '../features/ask/contract.js';
import { deviceLoginResponses } from '../features/device-login/contract.js';
import { opinionResponses } from '../features/opinions/contract.js';
import { reminderResponses } from '../features/reminders/contract.js';
import { reviewResponses } from '../features/review/contract.js';
import { phoneResponses } from '../features/phone/contract.js';
// Drill-down, alerts and rules (one block, kept together for merging).
import { drilldownResponses } from '../features/drilldown/contract.js';
import { alertResponses } from '../features/alerts/contract.js';
import { ruleResponses } from '../features/rules/contract.js';

/**
 * Every route's response schema, keyed `"METHOD /path"` as the route is declared under
 * /api/v1. Register a feature's map here when it gets its contract.ts; the OpenAPI document
 * and the response check (tests) read this one table.
 */
export const RESPONSES: Record<string, z.ZodType> = {
  // Data, reports, users, auth, liaison, debt, assets, audit and health.
  ...healthResponses,
  ...authResponses,
  ...userResponses,
  ...dataResponses,
  ...reportResponses,
  ...liaisonResponses,
  ...debtResponses,
  ...assetResponses,
  ...auditResponses,

  ...opinionResponses,
  ...reminderResponses,
  ...keySupervisionResponses,
  ...reviewResponses,
  ...deviceLoginResponses,
  ...phoneResponses,
  ...askResponses,
  // Drill-down, alerts and rules.
  ...drilldownResponses,
  ...alertResponses,
  ...ruleResponses,
};
