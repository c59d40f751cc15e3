import cron from 'node-cron';
import type { Knex } from 'knex';
import type { Config } from '../../api/src/core.js';
import { LoaderBusy } from './load/lock.js';
import { runNightly } from './load/nightly.js';
import type { PostLoadHook } from './post-load.js';

export interface EtlScheduler {
  /** Run the nightly job now (same guard as a tick); resolves when it is done or skipped. */
  runNow(): Promise<void>;
  /** Stop the schedule. A load in flight is not awaited: if the database closes under it, its transaction rolls back. */
  stop(): Promise<void>;
}

/** Work of the app's that belongs to the night whatever the load brought (the 交办 reminder list). */
export type NightlyHook = (knex: Knex) => Promise<string>;

/**
 * The nightly load on config.etlCron in config.timeZone (default 02:00 Asia/Shanghai), then
 * the `nightly` hooks — after the load, loaded or not, each logging its one-line summary.
 * Never two at once: a tick that finds the previous one still running in this process is
 * skipped, and across processes the run lock (advisory) makes the second instance give up.
 */
export function startScheduler(
  knex: Knex,
  config: Pick<Config, 'etlCron' | 'timeZone' | 'inboxDir'>,
  postLoad: readonly PostLoadHook[],
  log: (line: string) => void = console.log,
  nightly: readonly NightlyHook[] = [],
): EtlScheduler {
  let running: Promise<void> | undefined;
  const tick = (): Promise<void> => {
    if (running) {
      log('[etl] 上一次夜间装载仍在进行，本次跳过');
      return running;
    }
    running = (async () => {
      try {
        try {
          const r = await runNightly(knex, config, { postLoad });
          const c = r.results.filter((x) => x.outcome === 'committed').length;
          const j = r.results.filter((x) => x.outcome === 'rejected').length;
          log(`[etl] 夜间装载完成：${r.results.length} 个数据包，装载 ${c}，拒收 ${j}${r.postLoadErrors.length ? `；后处理失败：${r.postLoadErrors.join('；')}` : ''}`);
        } catch (err) {
          if (err instanceof LoaderBusy) log('[etl] 另一个实例正在装载，本次跳过');
          else log(`[etl] 夜间装载失败：${(err as Error).message}`);
        }
        for (const hook of nightly) {
          try {
            log(`[nightly] ${await hook(knex)}`);
          } catch (err) {
            log(`[nightly] 失败：${(err as Error).message}`);
          }
        }
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const task = cron.schedule(config.etlCron, () => void tick(), { timezone: config.timeZone, name: 'bw-etl-nightly' });
  return {
    runNow: tick,
    async stop() {
      await task.stop();
    },
  };
}
