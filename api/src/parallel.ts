import os from 'node:os';

/**
 * BW_PARALLEL: how many regions the loader loads, and the post-load step maintains and
 * evaluates, at once (default: the machine's cores). 1 = one region after another.
 */
export function parallelDegree(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BW_PARALLEL;
  if (raw === undefined || raw === '') return Math.max(1, os.availableParallelism());
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`环境变量 BW_PARALLEL 必须是正整数，收到 "${raw}"`);
  return n;
}

/**
 * `fn` over `items`, at most `degree` at a time, results in the items' order. Every item runs
 * even when one fails; the first failure is then thrown (the others' work is kept).
 */
export async function mapLimit<T, R>(items: readonly T[], degree: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failure: { err: unknown } | undefined;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, degree), items.length) }, worker));
  if (failure) throw failure.err;
  return out;
}
