import { FileError } from '../readers/table.js';

/**
 * How long a load may wait before it is ended rather than left holding the run lock:
 * - `stallSeconds`: a reader that yields no row for this long (a truncated or malformed file
 *   that leaves the reader waiting forever) rejects its file — the loader's own guard;
 * - `idleSeconds`, `statementSeconds`: PostgreSQL's idle_in_transaction_session_timeout and
 *   statement_timeout on each bundle's transaction — the second line of defence, should the
 *   process itself stop answering (the server then rolls back and releases the bundle lock).
 * The stall guard is the shorter one, so a stalled reader is reported as such.
 */
export interface EtlTimeouts {
  stallSeconds: number;
  idleSeconds: number;
  statementSeconds: number;
}

const DEFAULTS: EtlTimeouts = { stallSeconds: 120, idleSeconds: 300, statementSeconds: 1800 };

function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`环境变量 ${name} 必须是正整数（秒），收到 "${raw}"`);
  return n;
}

export function etlTimeouts(given: Partial<EtlTimeouts> = {}, env: NodeJS.ProcessEnv = process.env): EtlTimeouts {
  return {
    stallSeconds: given.stallSeconds ?? seconds(env, 'BW_ETL_STALL_TIMEOUT', DEFAULTS.stallSeconds),
    idleSeconds: given.idleSeconds ?? seconds(env, 'BW_ETL_IDLE_TIMEOUT', DEFAULTS.idleSeconds),
    statementSeconds: given.statementSeconds ?? seconds(env, 'BW_ETL_STATEMENT_TIMEOUT', DEFAULTS.statementSeconds),
  };
}

/** SET LOCAL statements for a bundle's transaction (integers only: no quoting needed). */
export function transactionTimeoutsSql(t: EtlTimeouts): string {
  return `set local statement_timeout = ${Math.trunc(t.statementSeconds * 1000)}; set local idle_in_transaction_session_timeout = ${Math.trunc(t.idleSeconds * 1000)}`;
}

const stalled = (file: string, s: number) => new FileError('READ_STALLED', file, `读取文件 ${s} 秒没有读出任何数据，已放弃（文件可能被截断或已损坏）`);

/** `p`, or a FileError once `s` seconds pass without it settling. The reader is abandoned, not awaited. */
export function withinStall<T>(p: Promise<T>, file: string, s: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(stalled(file, s)), s * 1000);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

/** The batches of a reader, each of which must come within `s` seconds of asking. */
export async function* stallGuarded<T>(batches: AsyncIterable<T>, file: string, s: number): AsyncGenerator<T> {
  const it = batches[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const r = await withinStall(it.next(), file, s);
      if (r.done) {
        finished = true;
        return;
      }
      yield r.value;
    }
  } finally {
    // A hung reader would hang its own return() too: ask it to stop, never wait for it.
    if (!finished) it.return?.()?.catch(() => {});
  }
}
