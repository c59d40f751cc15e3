import type { Knex } from 'knex';

// When a committed batch's post-load step (aggregate refresh, rules) finished. A process
// killed between the commit and that step left the dashboard stale with nothing to say so;
// null now means "still to do", and the next run or start does it. Batches committed before
// this migration count as done.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('batches', (t) => {
    t.timestamp('post_loaded_at', { useTz: true });
  });
  await knex.raw(`update batches set post_loaded_at = coalesce(committed_at, now()) where status = 'committed'`);
  await knex.raw(`create index batches_post_load_pending on batches (id) where status = 'committed' and post_loaded_at is null`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists batches_post_load_pending');
  await knex.schema.alterTable('batches', (t) => {
    t.dropColumn('post_loaded_at');
  });
}
