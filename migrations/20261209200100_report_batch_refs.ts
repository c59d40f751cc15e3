import type { Knex } from 'knex';

// Issue 20 item 3 (docs/SCALE-OUT.md): an archived report names the batches its figures were
// read from by region and id (`411100-42`, as the API names a batch), not by id alone: a 全辖
// report reads several regions' batches, and batches are keyed by (region_code, id), so an id
// alone would have to be looked for on every shard. `reports.batch_ids` becomes text[] of those
// public ids; the reports already archived get each batch's region from `batches` (once, here),
// or the report's own region for a batch no longer there. `down` keeps the ids.

export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table reports add column batch_refs text[]');
  await knex.raw(`
    update reports r set batch_refs = array(
      select coalesce(b.region_code, r.region_code) || '-' || x.id
        from unnest(r.batch_ids) with ordinality x(id, n)
        left join batches b on b.id = x.id
       order by coalesce(b.region_code, r.region_code), x.id)`);
  await knex.raw('alter table reports drop column batch_ids');
  await knex.raw('alter table reports rename column batch_refs to batch_ids');
  await knex.raw('alter table reports alter column batch_ids set not null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table reports add column batch_nos bigint[]');
  await knex.raw(`update reports set batch_nos = array(select split_part(x, '-', 2)::bigint from unnest(batch_ids) with ordinality t(x, n) order by n)`);
  await knex.raw('alter table reports drop column batch_ids');
  await knex.raw('alter table reports rename column batch_nos to batch_ids');
  await knex.raw('alter table reports alter column batch_ids set not null');
}
