import type { Knex } from 'knex';
/** A finding as the query reads it (the table's columns, the unit's name, overdue at the as-of date); routes answer it through wire.ts. */
export interface FindingRow {
  finding_no: string;
  audit_year: number;
  audit_project: string;
  agency_code: string;
  agency_name: string | null;
  category: string;
  description: string;
  amount_involved: string | null;
  rectified_amount: string | null;
  unrectified_amount: string | null;
  rectify_deadline: string;
  status: string;
  closed_on: string | null;
  overdue: boolean;
  days_overdue: number;
}

export interface FindingFilters {
  status?: string;
  category?: string;
  agency?: string;
  year?: number;
  overdue?: boolean;
}

/** Audit findings at `asOf`: overdue = deadline passed and not 已整改. */
export function findings(knex: Knex, regionCodes: string[], asOf: string, f: FindingFilters): Promise<FindingRow[]> {
  const overdue = "(f.rectify_deadline < ?::date and f.status <> '已整改')";
  const q = knex('audit_findings as f')
    .leftJoin('agencies as a', function () {
      this.on('a.region_code', 'f.region_code').andOn('a.agency_code', 'f.agency_code');
    })
    .whereIn('f.region_code', regionCodes)
    .select(
      'f.finding_no', 'f.audit_year', 'f.audit_project', 'f.agency_code', 'a.agency_name', 'f.category', 'f.description',
      'f.amount_involved', 'f.rectified_amount',
      knex.raw('(f.amount_involved - coalesce(f.rectified_amount, 0))::numeric(18,2) as unrectified_amount'),
      'f.rectify_deadline', 'f.status', 'f.closed_on',
      knex.raw(`${overdue} as overdue`, [asOf]),
      knex.raw(`case when ${overdue} then ?::date - f.rectify_deadline else 0 end as days_overdue`, [asOf, asOf]),
    )
    .orderBy([{ column: 'f.rectify_deadline' }, { column: 'f.finding_no' }]);
  if (f.status) q.andWhere('f.status', f.status);
  if (f.category) q.andWhere('f.category', f.category);
  if (f.agency) q.andWhere('f.agency_code', f.agency);
  if (f.year) q.andWhere('f.audit_year', f.year);
  if (f.overdue === true) q.andWhereRaw(overdue, [asOf]);
  if (f.overdue === false) q.andWhereRaw(`not ${overdue}`, [asOf]);
  return q;
}

/** One unit × category found in two or more audit years. */
export interface RepeatRow {
  agency_code: string;
  agency_name: string | null;
  category: string;
  audit_years: number[];
  findings: string;
  finding_nos: string[];
}

/** The findings of one rectification status. */
export interface StatusCountRow {
  status: string;
  findings: string;
  amount_involved: string;
  overdue: string;
}

/** 屡审屡犯: the same category found at the same unit in two or more different audit years. */
export async function repeatFindings(knex: Knex, regionCodes: string[]): Promise<RepeatRow[]> {
  const { rows } = await knex.raw<{ rows: RepeatRow[] }>(
    `select f.agency_code, min(a.agency_name) as agency_name, f.category,
            array_agg(distinct f.audit_year order by f.audit_year) as audit_years,
            count(*)::text as findings, array_agg(f.finding_no order by f.audit_year, f.finding_no) as finding_nos
       from audit_findings f
       left join agencies a on a.region_code = f.region_code and a.agency_code = f.agency_code
      where f.region_code = any(?)
      group by f.agency_code, f.category
     having count(distinct f.audit_year) >= 2
      order by f.agency_code, f.category`,
    [regionCodes],
  );
  return rows;
}

/** Counts by rectification status, for the page header. */
export async function findingStatusCounts(knex: Knex, regionCodes: string[], asOf: string) {
  const { rows } = await knex.raw(
    `select status, count(*)::text as findings, coalesce(sum(amount_involved), 0)::numeric(18,2) as amount_involved,
            count(*) filter (where rectify_deadline < ?::date and status <> '已整改')::text as overdue
       from audit_findings where region_code = any(?) group by status order by status`,
    [asOf, regionCodes],
  );
  return rows as StatusCountRow[];
}
