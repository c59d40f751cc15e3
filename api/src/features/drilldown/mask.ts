/** Deputies see payee accounts as the first 4 and last 4 characters with the middle starred. */
export function maskAccount(account: string | null): string | null {
  if (account === null || account === undefined) return account;
  const s = String(account);
  if (s.length <= 8) return s.length <= 4 ? '*'.repeat(s.length) : `${'*'.repeat(s.length - 4)}${s.slice(-4)}`;
  return `${s.slice(0, 4)}${'*'.repeat(s.length - 8)}${s.slice(-4)}`;
}

export function maskFor<T extends { payee_account: string | null }>(role: string | undefined, row: T): T {
  return role === 'deputy' ? { ...row, payee_account: maskAccount(row.payee_account) } : row;
}
