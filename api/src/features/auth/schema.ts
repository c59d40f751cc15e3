import { z } from 'zod';

/**
 * The one normalisation of a login name, shared by the login check and the login limiter so a
 * padded or width-variant spelling (" staff", "ｓｔａｆｆ") is the same account and the same
 * throttle key. Case is kept: usernames are case-sensitive (users.username is unique as typed).
 */
export const normaliseUsername = (raw: string) => raw.normalize('NFKC').trim();

export const loginBody = z.object({
  username: z.string().max(200).transform(normaliseUsername).pipe(z.string().min(1, '请输入用户名').max(100)),
  password: z.string().min(1, '请输入密码').max(200),
});

/** At least 8 characters mixing letters and digits: the floor for a committee system on the open internet. */
export const newPassword = z
  .string()
  .min(8, '新密码至少 8 位')
  .max(200)
  .regex(/[A-Za-z]/, '新密码须包含字母')
  .regex(/[0-9]/, '新密码须包含数字');

export const passwordBody = z.object({
  oldPassword: z.string().min(1, '请输入原密码'),
  newPassword,
});
