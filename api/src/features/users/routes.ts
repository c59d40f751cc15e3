import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { createError, ErrorCode } from '../../errors.js';
import { outsideDeployment, regionWithin } from '../../regions.js';
import { assertRegionVisible, requireRole } from '../../middleware/auth.js';
import { parseInput } from '../../middleware/validate.js';
import { deleteUserSessions, setPassword } from '../auth/queries.js';
import { listAccessLog } from './access-log.js';
import { getUser, insertUser, listUsers, setUserAgencies, updateUser } from './queries.js';
import type { PasswordReset } from './contract.js';
import { accessLogQuery, createUserBody, listUsersQuery, resetPasswordBody, updateUserBody, userIdParam } from './schema.js';

/** A user an admin may manage: one bound inside the admin's own region tree. */
async function managedUser(knex: Knex, req: Request) {
  const { id } = parseInput(userIdParam, req.params);
  const user = await getUser(knex, id);
  if (!user || !req.user!.regionCodes.includes(user.regionCode)) throw createError(ErrorCode.NOT_FOUND, `用户 ${id} 不存在`, 404);
  return user;
}

/** A liaison answers for one or more agencies; the other roles are bound to none. */
function liaisonAgencies(role: string, codes: string[] | undefined): string[] {
  if (role !== 'liaison') {
    if (codes?.length) throw createError(ErrorCode.VALIDATION, '字段 agencyCodes: 只有部门联络员绑定单位', 400);
    return [];
  }
  if (!codes?.length) throw createError(ErrorCode.VALIDATION, '字段 agencyCodes: 部门联络员须绑定至少一个单位', 400);
  return codes;
}

/** A temporary password an admin hands over; the user must change it at first login. */
const temporaryPassword = () => `Bw${randomBytes(6).toString('base64url')}9`;

export function userRoutes(knex: Knex, opts: { region: string }): Router {
  const router = Router();
  /** Users sit in the deployment's region (BW_REGION) or below, whoever creates them. */
  const assertInDeployment = async (code: string) => {
    if (!(await regionWithin(knex, code, opts.region))) throw createError(ErrorCode.VALIDATION, `regionCode：${await outsideDeployment(knex, code, opts.region)}`, 400);
  };
  router.use('/users', requireRole('admin'));

  router.get('/users', async (req, res) => {
    const q = parseInput(listUsersQuery, req.query);
    let regions = req.user!.regionCodes;
    if (q.region) {
      assertRegionVisible(req, q.region);
      regions = [q.region];
    }
    res.json({ data: await listUsers(knex, regions, q) });
  });

  router.get('/users/:id', async (req, res) => {
    res.json({ data: await managedUser(knex, req) });
  });

  router.post('/users', async (req, res) => {
    const body = parseInput(createUserBody, req.body);
    assertRegionVisible(req, body.regionCode);
    await assertInDeployment(body.regionCode);
    const agencies = liaisonAgencies(body.role, body.agencyCodes);
    const passwordHash = await hash(body.password);
    const id = await knex.transaction(async (trx) => {
      const id = await insertUser(trx, { ...body, passwordHash, mustChangePassword: true });
      await setUserAgencies(trx, id, body.regionCode, agencies);
      return id;
    });
    res.status(201).json({ data: await getUser(knex, id) });
  });

  router.patch('/users/:id', async (req, res) => {
    const user = await managedUser(knex, req);
    const body = parseInput(updateUserBody, req.body);
    if (body.regionCode) {
      assertRegionVisible(req, body.regionCode);
      await assertInDeployment(body.regionCode);
    }
    if (user.id === req.user!.id && (body.active === false || (body.role && body.role !== 'admin'))) {
      throw createError(ErrorCode.CONFLICT, '不能停用自己或取消自己的管理员角色', 409);
    }
    const role = body.role ?? user.role;
    const agencies = liaisonAgencies(role, role === 'liaison' ? (body.agencyCodes ?? user.agencies.map((a) => a.code)) : body.agencyCodes);
    await knex.transaction(async (trx) => {
      await updateUser(trx, user.id, body);
      await setUserAgencies(trx, user.id, body.regionCode ?? user.regionCode, agencies);
      // A deactivated user, or one whose rights changed, logs in again.
      if (body.active === false || body.role || body.regionCode || body.agencyCodes) await deleteUserSessions(trx, user.id);
    });
    res.json({ data: await getUser(knex, user.id) });
  });

  router.post('/users/:id/reset-password', async (req, res) => {
    const user = await managedUser(knex, req);
    const body = parseInput(resetPasswordBody, req.body ?? {});
    const password = body.newPassword ?? temporaryPassword();
    await knex.transaction(async (trx) => {
      await setPassword(trx, user.id, await hash(password), { mustChange: true });
      await deleteUserSessions(trx, user.id);
    });
    const data: PasswordReset = { id: user.id, ...(body.newPassword ? {} : { temporaryPassword: password }) };
    res.json({ data });
  });

  router.get('/access-log', requireRole('admin'), async (req, res) => {
    const q = parseInput(accessLogQuery, req.query);
    // Names that match no account belong to no region: only the top level's admin sees them.
    const topLevel = (await knex('regions').where({ code: req.user!.regionCode }).first('parent_code'))?.parent_code == null;
    const { rows, total } = await listAccessLog(knex, req.user!.regionCodes, topLevel, q);
    res.json({ data: rows, meta: { total, page: q.page, pageSize: q.pageSize } });
  });

  return router;
}
