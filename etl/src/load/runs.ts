import type { Knex } from 'knex';
import type { BundleCode } from '../codes.js';

/** etl_runs and batches bookkeeping: what ran, when, and what each bundle became. */

export type RunTrigger = 'schedule' | 'cli' | 'api' | 'startup';

export async function startRun(
  knex: Knex,
  r: { trigger: RunTrigger; regionCode?: string; businessDate?: string; startedBy?: string },
): Promise<string> {
  // Runs left 'running' by a killed process: we hold the run lock, so none of them is alive.
  // A bundle it committed stays (its post-load step is caught up by this run); only the
  // bundle in flight was rolled back, so the label says which happened.
  for (const stale of await knex('etl_runs').where({ status: 'running' }).select('id')) {
    const committed = (await knex('batches').where({ etl_run_id: stale.id, status: 'committed' }).orderBy('id').pluck('id')).map(String);
    const error = committed.length
      ? `进程在装载中途退出：已提交的批次 ${committed.map((id) => `#${id}`).join('、')} 保留，其汇总刷新与规则计算由下一次运行补做；未提交的部分已回滚`
      : '进程在装载中途退出（已回滚，数据保持上次状态）';
    await knex('etl_runs').where({ id: stale.id }).update({ status: 'failed', error, finished_at: knex.fn.now() });
  }
  // region_code references regions: a run for an unknown region is still recorded, without it.
  const region = r.regionCode && (await regionExists(knex, r.regionCode)) ? r.regionCode : null;
  const [{ id }] = await knex('etl_runs')
    .insert({ trigger: r.trigger, region_code: region, business_date: r.businessDate ?? null, started_by: r.startedBy ?? null })
    .returning('id');
  return String(id);
}

export async function finishRun(knex: Knex, runId: string, status: 'succeeded' | 'failed', summary: unknown, error?: string): Promise<void> {
  await knex('etl_runs')
    .where({ id: runId })
    .update({ status, summary: JSON.stringify(summary), error: error ?? null, finished_at: knex.fn.now() });
}

/** The committed or rejected batch of the same delivery (same region, date and bytes), if any. */
export async function findSameDelivery(
  knex: Knex,
  regionCode: string,
  businessDate: string,
  contentHash: string,
): Promise<{ id: string; status: string } | undefined> {
  const row = await knex('batches')
    .where({ region_code: regionCode, business_date: businessDate, content_hash: contentHash })
    .whereIn('status', ['committed', 'rejected'])
    .orderBy('id', 'desc')
    .first('id', 'status');
  return row ? { id: String(row.id), status: row.status } : undefined;
}

export async function regionExists(knex: Knex, regionCode: string): Promise<boolean> {
  return !!(await knex('regions').where({ code: regionCode }).first('code'));
}

/** A rejected bundle leaves only this row: its data was rolled back. */
export async function recordRejected(
  knex: Knex,
  b: { runId: string; regionCode: string; businessDate: string; source: string; location: string; contentHash?: string; manifest?: unknown; code: BundleCode; reason: string },
): Promise<string> {
  const [{ id }] = await knex('batches')
    .insert({
      etl_run_id: b.runId, region_code: b.regionCode, business_date: b.businessDate, source: b.source, location: b.location,
      content_hash: b.contentHash ?? null, manifest: b.manifest ? JSON.stringify(b.manifest) : null,
      status: 'rejected', reject_code: b.code, reject_reason: b.reason,
    })
    .returning('id');
  return String(id);
}
