import { Router } from 'express';
import { buildDocument } from './document.js';
import { OPERATIONS } from './operations.js';
import { OTHER_OPERATIONS } from './other-operations.js';
import { KEY_SUPERVISION_OPERATIONS } from '../key-supervision/operations.js';
import { REVIEW_OPERATIONS } from '../review/operations.js';
import { PHONE_OPERATIONS } from './phone-operations.js';

/** Every documented operation: this file's and the other features'. */
export const ALL_OPERATIONS = [...OPERATIONS, ...OTHER_OPERATIONS, ...REVIEW_OPERATIONS, ...PHONE_OPERATIONS, ...KEY_SUPERVISION_OPERATIONS];

export function openapiRoutes(): Router {
  const router = Router();
  const doc = buildDocument(ALL_OPERATIONS);
  router.get('/openapi.json', (_req, res) => {
    res.json(doc);
  });
  return router;
}
