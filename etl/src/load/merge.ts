import type { PoolClient } from 'pg';
import { FEEDS, type ColumnDef, type FeedDef } from '../feeds/index.js';
import { dropIndexesForBulk } from './bulk-indexes.js';
import { DEPT_EXPR, UNKNOWN_AGENCY, UNKNOWN_AGENCY_CODE } from './agency-rules.js';
import { stageTable } from './stage.js';
import { centsToAmount } from '../readers/values.js';

/**
 * Set-based SQL from a stage table into a feed table. Identifiers come from the feed
 * declarations (trusted code), values are bound parameters.
 */

const q = (ident: string) => `"${ident}"`;

function cast(c: ColumnDef): string {
  switch (c.type) {
    case 'int':
      return '::integer';
    case 'amount':
    case 'rate':
    case 'score':
      return '::numeric';
    case 'date':
      return '::date';
    default:
      return '';
  }
}

/** The stage's good rows with typed columns. */
function typedStage(feed: FeedDef): string {
  const cols = feed.columns.map((c) => `${q(c.key)}${cast(c)} as ${q(c.key)}`).join(', ');
  return `(select source_line, ${cols} from ${stageTable(feed)} where err is null)`;
}

/** Rows whose agency is unknown (neither in this bundle's agencies nor the database) become bad rows. */
export async function markUnknownAgencies(client: PoolClient, feed: FeedDef, regionCode: string): Promise<number> {
  if (!feed.deptFrom) return 0;
  const col = q(feed.deptFrom);
  const res = await client.query(
    `update ${stageTable(feed)} s set err_column = $2, err_code = $4, err = $3 || s.${col}
      where s.err is null
        and not exists (select 1 from agencies a where a.region_code = $1 and a.agency_code = s.${col})`,
    [regionCode, feed.deptFrom, UNKNOWN_AGENCY, UNKNOWN_AGENCY_CODE],
  );
  return res.rowCount ?? 0;
}

/**
 * Bad rows of the stage into quarantine, with file, line, column, code, reason and the raw row.
 * raw has one shape for every reason: the feed's English keys (the text as read for a bad
 * field), `_header` (English key → the header text the file used) and, when the row had
 * cells in columns the feed does not know, `_extra` (their header as sent → text).
 */
export async function quarantineBadRows(
  client: PoolClient, feed: FeedDef, regionCode: string, batchId: string, fileName: string, sentHeader: Record<string, string>,
): Promise<number> {
  const columns = `jsonb_build_object(${feed.columns.map((c) => `'${c.key}', s.${q(c.key)}`).join(', ')})`;
  const res = await client.query(
    `insert into quarantine (region_code, batch_id, feed, file_name, line_no, column_name, reason_code, reason, raw)
     select $5, $1, $2, $3, s.source_line, s.err_column, s.err_code, s.err,
            ${columns} || jsonb_build_object('_header', $4::jsonb)
              || case when s.raw is null then '{}'::jsonb else jsonb_build_object('_extra', s.raw::jsonb) end
       from ${stageTable(feed)} s where s.err is not null order by s.source_line`,
    [batchId, feed.name, fileName, JSON.stringify(sentHeader), regionCode],
  );
  return res.rowCount ?? 0;
}

export interface MergeCounts {
  inserted: number;
  updated: number;
  superseded: number;
  /** Full-state feeds: rows of the region the file no longer lists, removed (history: change 'removed'). */
  removed: number;
  /** Agencies the file no longer lists but kept because rows of the region still refer to them. */
  keptReferenced: number;
}

/**
 * Upsert the good rows: a new key is inserted; an existing key whose values differ is
 * replaced after its old version is copied whole into superseded_rows; an identical row is
 * left untouched (lineage included), which makes a repeated delivery a no-op. A full-state
 * feed then removes what the file no longer lists (`removeAbsent`).
 */
export async function mergeStage(client: PoolClient, feed: FeedDef, regionCode: string, batchId: string, goodRows: number): Promise<MergeCounts> {
  const rebuildIndexes = await dropIndexesForBulk(client, feed, goodRows);
  const counts = await mergeRows(client, feed, regionCode, batchId);
  if (feed.merge === 'full-state') Object.assign(counts, await removeAbsent(client, feed, regionCode, batchId));
  await rebuildIndexes();
  return counts;
}


/** The feed table's value columns: the declared ones, plus dept_code the loader resolves. */
const valueColumns = (feed: FeedDef) => (feed.deptFrom !== undefined ? [...feed.columns.map((c) => c.key), 'dept_code'] : feed.columns.map((c) => c.key));

/** superseded_rows' natural_key and row (the version kept whole) of feed-table row `t`. */
const historyKey = (feed: FeedDef) => `concat_ws('|', ${feed.key.map((k) => `t.${q(k)}::text`).join(', ')})`;
const historyRow = (feed: FeedDef) =>
  `jsonb_build_object('region_code', t.region_code, 'source_line', t.source_line, ${valueColumns(feed)
    .map((c) => `'${c}', t.${q(c)}::text`)
    .join(', ')})`;

async function mergeRows(client: PoolClient, feed: FeedDef, regionCode: string, batchId: string): Promise<MergeCounts> {
  const cols = feed.columns.map((c) => c.key);
  const dept = feed.deptFrom !== undefined;
  const valueCols = valueColumns(feed);
  const sCols = cols.map((c) => `s.${q(c)}`);
  const sValues = dept ? [...sCols, DEPT_EXPR] : sCols;
  const join = dept ? `join agencies a on a.region_code = $1 and a.agency_code = s.${q(feed.deptFrom!)}` : '';
  const keyJoin = feed.key.map((k) => `t.${q(k)} = s.${q(k)}`).join(' and ');
  const differs = (left: string[], right: string[]) => `(${left.join(', ')}) is distinct from (${right.join(', ')})`;

  // A region's first delivery of a feed (the initial load, the demo) has nothing to correct:
  // skip the history and update passes and insert without the anti-join.
  const { rows: held } = await client.query(`select exists (select 1 from ${feed.table} where region_code = $1) as any`, [regionCode]);
  if (!held[0].any) {
    const ins = await client.query(
      `insert into ${feed.table} (region_code, batch_id, source_line, ${valueCols.map(q).join(', ')})
       select $1, $2, s.source_line, ${sValues.join(', ')} from ${typedStage(feed)} s ${join}`,
      [regionCode, batchId],
    );
    return { inserted: ins.rowCount ?? 0, updated: 0, superseded: 0, removed: 0, keptReferenced: 0 };
  }

  const superseded = await client.query(
    `insert into superseded_rows (feed, region_code, natural_key, row, batch_id, superseded_by_batch_id)
     select $2, t.region_code, ${historyKey(feed)}, ${historyRow(feed)}, t.batch_id, $3
       from ${feed.table} t
       join ${typedStage(feed)} s on t.region_code = $1 and ${keyJoin}
       ${join}
      where ${differs(valueCols.map((c) => `t.${q(c)}`), sValues)}`,
    [regionCode, feed.name, batchId],
  );

  // Changed rows, then new rows: two plain statements rather than INSERT … ON CONFLICT, whose
  // speculative insertion costs ~13 µs a row more here (bulk loads are mostly new rows). The
  // bundle lock serialises writers, so nothing can insert a key between the two.
  const upd = await client.query(
    `update ${feed.table} t
        set batch_id = $2, source_line = s.source_line, ${valueCols.map((c, i) => `${q(c)} = ${sValues[i]}`).join(', ')}
       from ${typedStage(feed)} s ${join}
      where t.region_code = $1 and ${keyJoin}
        and ${differs(valueCols.map((c) => `t.${q(c)}`), sValues)}`,
    [regionCode, batchId],
  );
  const ins = await client.query(
    `insert into ${feed.table} (region_code, batch_id, source_line, ${valueCols.map(q).join(', ')})
     select $1, $2, s.source_line, ${sValues.join(', ')}
       from ${typedStage(feed)} s ${join}
      where not exists (select 1 from ${feed.table} t where t.region_code = $1 and ${keyJoin})`,
    [regionCode, batchId],
  );
  return { inserted: ins.rowCount ?? 0, updated: upd.rowCount ?? 0, superseded: superseded.rowCount ?? 0, removed: 0, keptReferenced: 0 };
}

/**
 * Columns of the region's other rows that name an agency: every feed's agency_code, the
 * dept_code the loader resolved, and the agencies an alert or a review opinion is about.
 */
const AGENCY_REFERENCES: readonly { table: string; column: string }[] = [
  ...FEEDS.filter((f) => f.table !== 'agencies').flatMap((f) => [
    ...f.columns.filter((c) => c.key === 'agency_code').map(() => ({ table: f.table, column: 'agency_code' })),
    ...(f.deptFrom ? [{ table: f.table, column: 'dept_code' }] : []),
  ]),
  { table: 'alerts', column: 'assigned_agency_code' },
  { table: 'review_opinions', column: 'agency_code' },
];

/**
 * Full state: after the upsert, the region's rows whose natural key appears on no line of the
 * file are deleted, each kept whole in superseded_rows with change 'removed'. The key is
 * compared with the stage's text of every row, quarantined ones included, so a row the
 * delivery meant to keep but got wrong keeps its previous good version. A file without data
 * rows says nothing (a truncated delivery must not empty a table). An agency is kept while
 * rows of the region still refer to it — the feeds' agency and department codes, alerts,
 * opinions, and the parent of any agency that stays — and counted in `keptReferenced`.
 */
async function removeAbsent(client: PoolClient, feed: FeedDef, regionCode: string, batchId: string): Promise<{ removed: number; keptReferenced: number }> {
  const stage = stageTable(feed);
  const { rows: any } = await client.query(`select exists (select 1 from ${stage}) as any`);
  if (!any[0].any) return { removed: 0, keptReferenced: 0 };

  const inFile = `exists (select 1 from ${stage} s where ${feed.key.map((k) => `s.${q(k)} = t.${q(k)}::text`).join(' and ')})`;
  // A file that is the whole state of some groups (fullStateBy) speaks only for those groups.
  const inGroups = feed.fullStateBy?.length
    ? `and exists (select 1 from ${stage} s where ${feed.fullStateBy.map((k) => `s.${q(k)} = t.${q(k)}::text`).join(' and ')})`
    : '';
  const isAgencies = feed.table === 'agencies';
  // Agencies absent from the file, and the codes that must stay: referenced by other rows of
  // the region, or the parent of an agency that stays (recursively: a kept unit keeps its
  // department).
  const keep = isAgencies
    ? `absent as (select t.agency_code from agencies t where t.region_code = $1 and not ${inFile}),
       kept (code) as (
         select a.agency_code from absent a
          where ${AGENCY_REFERENCES.map((r) => `exists (select 1 from ${r.table} r where r.region_code = $1 and r.${q(r.column)} = a.agency_code)`).join(' or ')}
         union
         select t.parent_code from agencies t
          where t.region_code = $1 and t.parent_code is not null and not exists (select 1 from absent a where a.agency_code = t.agency_code)
         union
         select t.parent_code from agencies t join kept k on t.agency_code = k.code
          where t.region_code = $1 and t.parent_code is not null
       ),`
    : '';
  const { rows } = await client.query(
    `with recursive ${keep}
     gone as (
       delete from ${feed.table} t
        where t.region_code = $1 and not ${inFile} ${inGroups}
          ${isAgencies ? 'and not exists (select 1 from kept k where k.code = t.agency_code)' : ''}
       returning t.*
     ),
     kept_history as (
       insert into superseded_rows (feed, region_code, natural_key, row, batch_id, superseded_by_batch_id, change)
       select $2, t.region_code, ${historyKey(feed)}, ${historyRow(feed)}, t.batch_id, $3, 'removed' from gone t
       returning 1
     )
     select (select count(*) from kept_history)::int as removed,
            ${isAgencies ? '(select count(*) from absent a where exists (select 1 from kept k where k.code = a.agency_code))::int' : '0'} as kept_referenced`,
    [regionCode, feed.name, batchId],
  );
  return { removed: rows[0].removed, keptReferenced: rows[0].kept_referenced };
}

/**
 * The region's row count and control total of the feed table, kept in feed_totals by each
 * bundle's transaction from what the load itself did, so the Data page never counts the
 * tables (a scan of every row: ~1 s at 6.4M vouchers). A region's first delivery (`direct`)
 * counts its own new rows; a merge adds the rows it inserted less those it removed, and the
 * amount of the versions it wrote less that of the versions it superseded or removed.
 */
export async function updateFeedTotals(
  client: PoolClient, feed: FeedDef, regionCode: string, batchId: string, direct: { rows: number; amountCents: bigint } | null, counts: MergeCounts,
): Promise<void> {
  const amount = feed.amountColumn ? q(feed.amountColumn) : null;
  let rows: number;
  let sum: string | null;
  if (direct) {
    // Counted while the rows were COPYed (stage.ts): the region held none before.
    await client.query(
      `insert into feed_totals (region_code, feed, rows, amount_sum) values ($1, $2, $3, $4::numeric)
       on conflict (region_code, feed) do update set rows = excluded.rows, amount_sum = excluded.amount_sum`,
      [regionCode, feed.name, direct.rows, amount ? centsToAmount(direct.amountCents) : null],
    );
    return;
  }
  rows = counts.inserted - counts.removed;
  sum = null;
  if (amount) {
    const keyJoin = feed.key.map((k) => `t.${q(k)} = s.${q(k)}`).join(' and ');
    // Each staged row's written version by its key, in a subplan per row: the planner cannot
    // know how many rows carry a new batch_id (no statistics, no index) and guesses one — as a
    // join (a lateral one is pulled up into a join too) it scanned the whole stage for each of
    // the region's rows this batch wrote: minutes for a large region's night (38,000 rows in
    // 410000 of the 30M province bench; 148 ms this way).
    const { rows: r } = await client.query(
      `select coalesce((select sum((select t.${amount} from ${feed.table} t
                                     where t.region_code = $1 and ${keyJoin} and t.batch_id = $2::bigint))
                          from ${typedStage(feed)} s), 0)
            - coalesce((select sum((h.row->>'${feed.amountColumn}')::numeric) from superseded_rows h
                         where h.superseded_by_batch_id = $2::bigint and h.feed = $3 and h.region_code = $1), 0) as delta`,
      [regionCode, batchId, feed.name],
    );
    sum = String(r[0].delta);
  }
  await client.query(
    `insert into feed_totals as f (region_code, feed, rows, amount_sum) values ($1, $2, $3, $4::numeric)
     on conflict (region_code, feed) do update set rows = f.rows + excluded.rows, amount_sum = f.amount_sum + excluded.amount_sum`,
    [regionCode, feed.name, rows, sum],
  );
}
