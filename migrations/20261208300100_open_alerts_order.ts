import type { Knex } from 'knex';

// Issue 19 item 5: the alerts list of a province in 全辖 (its 176 regions) asks for the open
// alerts of every region in the tree, most severe and newest first, 20 a page, and their count.
// Without these, both read every open alert of the tree and test each against the list of
// regions (20,000 alerts: two scans per page). With them the page walks the open alerts in
// the list's order and stops after a page, and the count reads the region index alone.
// The severity rank is the list's ORDER BY expression (api/src/features/alerts/queries.ts).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `create index alerts_open_order on alerts ((case severity when 'red' then 0 when 'orange' then 1 else 2 end), opened_at desc, id desc, region_code)
      where closed_at is null`,
  );
  await knex.raw('create index alerts_open_region on alerts (region_code) where closed_at is null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists alerts_open_order');
  await knex.raw('drop index if exists alerts_open_region');
}
