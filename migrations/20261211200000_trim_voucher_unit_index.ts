import type { Knex } from 'knex';

// The unit (agency) index of payment_vouchers loses its trailing voucher_no. It serves a unit's
// voucher page by date (voucher-queries.ts): with (agency_code, pay_date) PostgreSQL reads the
// unit's vouchers in date order and sorts only each day's few by voucher_no (an incremental
// sort), the keyset cursor (pay_date, voucher_no) < (…) bounding the scan by its date: 0.1–0.5 ms
// a page, first or 90 % deep, as before (1M vouchers, bench/api's city and the fixture city).
// Its keys become equal for a unit's vouchers of one day, which B-tree deduplication stores
// once: 47 MB → 7.8 MB over 1M vouchers, built in 1.7–2.2 s instead of 2.7–3.3 s (load ≈ 6,
// alternated) — a region's first delivery builds it inside its load (region-partition.ts).
// The department index keeps voucher_no: a department is ~1/40 of a city, and without it the
// planner walks the date index for a department's first page instead (bench/api's city, whose
// rows are not in date order: 0.13 ms → 8–11 ms).

const TABLE = 'payment_vouchers';
const NAME = 'payment_vouchers_agency_date_idx';
const TRIMMED = '(agency_code, pay_date)';
const FULL = '(agency_code, pay_date, voucher_no)';

// On the partitioned parent: dropping its index drops each partition's, creating it builds one
// on every partition (and on each one attached later, see region-partition.ts).
async function rebuild(knex: Knex, cols: string): Promise<void> {
  await knex.raw(`drop index if exists ${NAME}`);
  await knex.raw(`create index ${NAME} on ${TABLE} ${cols}`);
}

export async function up(knex: Knex): Promise<void> {
  await rebuild(knex, TRIMMED);
}

export async function down(knex: Knex): Promise<void> {
  await rebuild(knex, FULL);
}
