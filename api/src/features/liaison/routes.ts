import { Router } from 'express';
import type { Knex } from 'knex';
import { today } from '../../clock.js';
import { requireAnyUser, requireAuth, requireLiaison, requireRole } from '../../middleware/auth.js';
import { scopedRegion } from '../../middleware/region-scope.js';
import { parseInput } from '../../middleware/validate.js';
import { alertIdParam } from '../alerts/schema.js';
import { visibleAlert } from '../alerts/service.js';
import { readReplyForm } from './attachments.js';
import { buildAssignmentLetter, readLetterhead, saveLetterhead } from './letter.js';
import { liaisonAlertDetail, liaisonItems, listReplies, readAttachment, reviewReply, submitAlertReply, submitOpinionReply } from './replies.js';
import { opinionIdParam } from '../opinions/schema.js';
import { acceptBody, attachmentIdParam, letterheadBody, listRepliesQuery, replyIdParam, returnBody } from './schema.js';

/** RFC 6266 filename*: the Chinese name survives, and no header injection through it. */
const disposition = (name: string) => `attachment; filename="download"; filename*=UTF-8''${encodeURIComponent(name)}`;

/**
 * 部门联络员 and the 交办 loop: liaisons read what is assigned to their agencies and answer it
 * (/liaison/...); staff accept or send back the answers (/replies/...), print the 交办函, and
 * admins set its letterhead.
 */
export function liaisonRoutes(knex: Knex): Router {
  const router = Router();
  const staff = requireRole('staff', 'admin');

  router.get('/liaison/items', requireLiaison, async (req, res) => {
    res.json({ data: await liaisonItems(knex, req.user!) });
  });

  router.get('/liaison/alerts/:id', requireLiaison, async (req, res) => {
    const { id } = parseInput(alertIdParam, req.params);
    res.json({ data: await liaisonAlertDetail(knex, req.user!, id) });
  });

  router.post('/liaison/alerts/:id/replies', requireLiaison, async (req, res) => {
    const { id } = parseInput(alertIdParam, req.params);
    res.status(201).json({ data: await submitAlertReply(knex, req.user!, id, await readReplyForm(req)) });
  });

  router.post('/liaison/opinions/:id/replies', requireLiaison, async (req, res) => {
    const { id } = parseInput(opinionIdParam, req.params);
    res.status(201).json({ data: await submitOpinionReply(knex, req.user!, id, await readReplyForm(req)) });
  });

  router.get('/attachments/:id', requireAnyUser, async (req, res) => {
    const { id } = parseInput(attachmentIdParam, req.params);
    const file = await readAttachment(knex, req.user!, id);
    res.set({ 'content-type': file.content_type, 'content-disposition': disposition(file.filename), 'cache-control': 'private, no-store' });
    res.send(file.content);
  });

  router.get('/replies', requireAuth, async (req, res) => {
    const q = parseInput(listRepliesQuery, req.query);
    const regions = q.region ? [scopedRegion(req, q.region)] : req.user!.regionCodes;
    res.json({ data: await listReplies(knex, (b) => b.whereIn('p.region_code', regions).modify((x) => q.status && x.where('p.status', q.status))) });
  });

  router.post('/replies/:id/accept', staff, async (req, res) => {
    const { id } = parseInput(replyIdParam, req.params);
    const { note } = parseInput(acceptBody, req.body);
    res.json({ data: await reviewReply(knex, req.user!, id, { accept: true, note }) });
  });

  router.post('/replies/:id/return', staff, async (req, res) => {
    const { id } = parseInput(replyIdParam, req.params);
    const body = parseInput(returnBody, req.body);
    res.json({ data: await reviewReply(knex, req.user!, id, { accept: false, ...body }) });
  });

  router.get('/alerts/:id/letter', requireAuth, async (req, res) => {
    const { id } = parseInput(alertIdParam, req.params);
    const alert = await visibleAlert(knex, req.user!, id);
    const letter = await buildAssignmentLetter(knex, alert, today());
    res.set({ 'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'content-disposition': disposition(letter.fileName) });
    res.send(letter.buffer);
  });

  router.get('/settings/letterhead', requireAuth, async (_req, res) => {
    res.json({ data: await readLetterhead(knex) });
  });

  router.put('/settings/letterhead', requireRole('admin'), async (req, res) => {
    const body = parseInput(letterheadBody, req.body);
    res.json({ data: await saveLetterhead(knex, body, req.user!.id) });
  });

  return router;
}
