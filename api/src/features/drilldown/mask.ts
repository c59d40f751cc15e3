/**
 * Deputies and liaisons see payee accounts as the first 4 and last 4 characters with the middle starred —
 * wherever an account can appear: a voucher, its superseded versions, a quarantined raw row,
 * an export. Staff and admins see them whole.
 */
export function maskAccount(account: string | null): string | null {
  if (account === null || account === undefined) return account;
  const s = String(account);
  if (s.length <= 8) return s.length <= 4 ? '*'.repeat(s.length) : `${'*'.repeat(s.length - 4)}${s.slice(-4)}`;
  return `${s.slice(0, 4)}${'*'.repeat(s.length - 8)}${s.slice(-4)}`;
}

// Only the committee's own staff and admins see whole accounts: deputies and department
// liaisons (and any role added later) see them masked.
const masksAccounts = (role: string | undefined) => role !== 'staff' && role !== 'admin';

/** A key that holds a payee account: the feed column (stored rows), the API's payeeAccount, or a raw file header's spelling. */
const isAccountKey = (key: string) => {
  const k = key.trim().toLowerCase();
  return k === 'payee_account' || k === 'payeeaccount' || k.includes('账号');
};

/** A row (a voucher, a stored old version, a raw quarantined row) with its account keys masked for `role`. */
export function maskRecord<T>(role: string | undefined, row: T): T {
  if (!masksAccounts(role) || row === null || typeof row !== 'object' || Array.isArray(row)) return row;
  return Object.fromEntries(
    Object.entries(row as Record<string, unknown>).map(([k, v]) => [k, isAccountKey(k) && v != null ? maskAccount(String(v)) : v]),
  ) as T;
}

export function maskFor<T extends { payeeAccount: string | null }>(role: string | undefined, row: T): T {
  return maskRecord(role, row);
}
