import type { Knex } from 'knex';

/**
 * What of the delivery records a user may see. A run names one region, or none when it went
 * over the whole inbox (then its summary lists one bundle per region): such a run is shown to
 * a user through the bundles of their regions only, with the counts of those bundles. Server
 * paths (bundle folders, batch locations, paths inside error text) are for staff and admins.
 */

const showsPaths = (role: string) => role === 'staff' || role === 'admin';

/** Absolute paths inside free text (error messages), e.g. `scandir '/srv/inbox/411100'`. */
export const redactPaths = (text: string) => text.replace(/(^|[\s'"(（:：=])(?:[A-Za-z]:)?[\\/][^\s'"，；：,;)）]*/g, '$1…');

/** Every string inside a delivery record (a batch, its files) with its absolute paths cut. */
function redactDeep(v: unknown): unknown {
  if (typeof v === 'string') return redactPaths(v);
  if (Array.isArray(v)) return v.map(redactDeep);
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redactDeep(x)]));
  return v;
}

/**
 * A batch (or any delivery record with a `location`) without server paths for roles that must
 * not see them: no location, and no path inside its texts (a reject reason quoting the file it
 * could not read, a file's error).
 */
export function withoutServerPaths<T extends { location?: unknown }>(role: string, row: T): T {
  if (showsPaths(role) || row == null) return row;
  return { ...(redactDeep(row) as T), ...(row.location != null ? { location: null } : {}) };
}

interface Bundle {
  regionCode?: unknown;
  outcome?: unknown;
  dir?: unknown;
  rowsRead?: unknown;
  rowsLoaded?: unknown;
  rowsQuarantined?: unknown;
  [k: string]: unknown;
}
interface RunRow {
  region_code: string | null;
  summary: unknown;
  error: string | null;
  [k: string]: unknown;
}

const sum = (bs: Bundle[], k: 'rowsRead' | 'rowsLoaded' | 'rowsQuarantined') => bs.reduce((s, b) => s + (Number(b[k]) || 0), 0);

/**
 * Runs the user's regions are part of, newest first; `whole` = the user sees every region
 * this instance deals with: every region a delivery was recorded for or a user sits in
 * (`regions` holds all of China's divisions, so "every row of regions" would be no one).
 */
export async function visibleRuns(knex: Knex, opts: { limit: number; offset: number; regionCodes: string[]; role: string }) {
  const { rows: [scope] } = await knex.raw<{ rows: { whole: boolean }[] }>(
    `select not exists (
       select 1 from (select region_code from batches union select region_code from users) r
        where r.region_code <> all(?::text[])) as whole`,
    [opts.regionCodes],
  );
  const whole = scope!.whole;
  const rows: RunRow[] = await knex('etl_runs')
    .select('id', 'trigger', 'region_code', 'business_date', 'status', 'summary', 'error', 'started_by', 'started_at', 'finished_at')
    .where((w) => {
      w.whereIn('region_code', opts.regionCodes);
      if (whole) w.orWhereNull('region_code');
      else {
        w.orWhere((n) =>
          n.whereNull('region_code').whereRaw(
            `exists (select 1 from jsonb_array_elements(case when jsonb_typeof(summary->'bundles') = 'array' then summary->'bundles' else '[]'::jsonb end) b
                      where b->>'regionCode' = any(?::text[]))`,
            [opts.regionCodes],
          ),
        );
      }
    })
    .orderBy('id', 'desc')
    .limit(opts.limit)
    .offset(opts.offset);
  const visible = new Set(opts.regionCodes);
  return rows.map((run) => scopeRun(run, whole ? undefined : visible, opts.role));
}

function scopeRun(run: RunRow, visible: Set<string> | undefined, role: string): RunRow {
  let summary = run.summary as { bundles?: Bundle[]; [k: string]: unknown } | null;
  if (summary && Array.isArray(summary.bundles)) {
    let bundles = summary.bundles;
    if (visible && run.region_code === null) {
      // Only the user's bundles, and counts of those alone; nothing else of a run over other regions.
      bundles = bundles.filter((b) => visible.has(String(b.regionCode)));
      summary = {
        bundles,
        ...Object.fromEntries(['committed', 'rejected', 'unchanged'].map((o) => [o, bundles.filter((b) => b.outcome === o).length])),
        rowsRead: sum(bundles, 'rowsRead'),
        rowsLoaded: sum(bundles, 'rowsLoaded'),
        rowsQuarantined: sum(bundles, 'rowsQuarantined'),
        // Inbox entries the run did not load, under the user's region folders (paths are relative to the inbox).
        skipped: (Array.isArray(summary.skipped) ? (summary.skipped as { path?: unknown }[]) : []).filter((x) => visible.has(String(x.path).split(/[\\/]/)[0])),
      };
    }
    if (!showsPaths(role)) summary = { ...summary, bundles: bundles.map(({ dir: _dir, ...b }) => b) };
  }
  const error = run.error && !showsPaths(role) ? redactPaths(run.error) : run.error;
  return { ...run, summary, error };
}
