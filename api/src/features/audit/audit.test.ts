import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysBetween } from '../../clock.js';
import { createUser } from '../../security/attack-client.js';
import { expectDeputyReadsOnly, expectFieldError, expectStatus, loadCity, loginAs, openApiTest, type ApiTest, type BoundApiCall } from '../../testing/index.js';

// 审计查出问题 over the generator's city as of mid-year: every finding, overdue day, status
// total and repeat the API sends is checked against the rows the ETL loaded.
const AS_OF = '2026-06-30';
const CITY = '411100';
const COUNTY = '411121';

const sum = (xs: (string | null)[]) => xs.reduce((a, x) => a.plus(x ?? 0), new Decimal(0)).toFixed(2);
const overdue = (f: { rectify_deadline: string; status: string }) => f.rectify_deadline < AS_OF && f.status !== '已整改';

describe('audit API (审计查出问题) over the generated city', () => {
  let t: ApiTest;
  let call: BoundApiCall;
  let county: string;
  let rows: any[];
  beforeAll(async () => {
    t = await openApiTest({ seed: (db) => loadCity(db, AS_OF) });
    call = t.call;
    await createUser(t.db.knex, { username: 'wuyang_deputy', password: 'County@2026', role: 'deputy', region: COUNTY });
    county = await loginAs(t.srv.baseUrl, { username: 'wuyang_deputy', password: 'County@2026' });
    rows = await t.db.knex('audit_findings').where({ region_code: CITY });
  }, 300_000);
  afterAll(() => t?.close());

  it('sends every finding with its unrectified amount, overdue flag and days, and status totals that add up', async () => {
    const res = await call(t.deputy, 'GET', `/audit/findings?region=${CITY}`);
    expect(res.status).toBe(200);
    expect(res.body.meta.asOf).toBe(AS_OF);
    expect(rows.length).toBeGreaterThan(5);
    expect(res.body.data.map((f: any) => f.findingNo).sort()).toEqual(rows.map((r) => r.finding_no).sort());
    const byNo = new Map(rows.map((r) => [r.finding_no, r]));
    for (const f of res.body.data) {
      const r = byNo.get(f.findingNo)!;
      const unrectified = r.amount_involved === null ? null : new Decimal(r.amount_involved).minus(r.rectified_amount ?? 0).toFixed(2);
      expect([f.status, f.amountInvolved, f.unrectifiedAmount, f.overdue, f.daysOverdue], f.findingNo).toEqual([
        r.status, r.amount_involved, unrectified, overdue(r), overdue(r) ? daysBetween(r.rectify_deadline, AS_OF) : 0,
      ]);
    }
    // Earliest deadline first.
    const deadlines = res.body.data.map((f: any) => f.rectifyDeadline);
    expect(deadlines).toEqual([...deadlines].sort());
    const statuses = [...new Set(rows.map((r) => r.status))].sort();
    expect(res.body.meta.statusCounts).toEqual(
      statuses.map((s) => {
        const of = rows.filter((r) => r.status === s);
        return { status: s, findings: String(of.length), amountInvolved: sum(of.map((r) => r.amount_involved)), overdue: String(of.filter(overdue).length) };
      }),
    );
  });

  it('lists the overdue findings with their days, and filters by status, year and unit', async () => {
    const res = await call(t.deputy, 'GET', `/audit/overdue?region=${CITY}`);
    const expected = rows.filter(overdue);
    expect(expected.length).toBeGreaterThan(0); // the generator's R17 plants
    expect(res.body.data.map((f: any) => f.findingNo).sort()).toEqual(expected.map((r) => r.finding_no).sort());
    expect(sum(res.body.data.map((f: any) => f.unrectifiedAmount))).toBe(sum(expected.map((r) => new Decimal(r.amount_involved ?? 0).minus(r.rectified_amount ?? 0).toFixed(2))));
    const done = await call(t.deputy, 'GET', `/audit/findings?region=${CITY}&status=已整改`);
    expect(done.body.data).toHaveLength(rows.filter((r) => r.status === '已整改').length);
    const year = rows[0].audit_year;
    expect((await call(t.deputy, 'GET', `/audit/findings?region=${CITY}&year=${year}`)).body.data).toHaveLength(rows.filter((r) => r.audit_year === year).length);
    const agency = rows[0].agency_code;
    expect((await call(t.deputy, 'GET', `/audit/findings?region=${CITY}&agency=${agency}`)).body.data).toHaveLength(rows.filter((r) => r.agency_code === agency).length);
    const notOverdue = await call(t.deputy, 'GET', `/audit/findings?region=${CITY}&overdue=false`);
    expect(notOverdue.body.data).toHaveLength(rows.length - expected.length);
  });

  it('finds the repeats (屡审屡犯): one category at one unit in two or more audit years', async () => {
    const res = await call(t.deputy, 'GET', `/audit/repeats?region=${CITY}`);
    const groups = new Map<string, any[]>();
    for (const r of rows) groups.set(`${r.agency_code}|${r.category}`, [...(groups.get(`${r.agency_code}|${r.category}`) ?? []), r]);
    const expected = [...groups.entries()]
      .filter(([, fs]) => new Set(fs.map((f) => f.audit_year)).size >= 2)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, fs]) => ({
        agencyCode: key.split('|')[0], category: key.split('|')[1],
        auditYears: [...new Set(fs.map((f) => f.audit_year))].sort(), findings: String(fs.length),
      }));
    expect(expected.length).toBeGreaterThan(0); // the generator's R18 plants
    expect(res.body.data.map((r: any) => ({ agencyCode: r.agencyCode, category: r.category, auditYears: r.auditYears, findings: r.findings }))).toEqual(expected);
  });

  it('answers each region its own findings; a county user sees the county only', async () => {
    const own = await call(county, 'GET', '/audit/findings');
    expect(own.status).toBe(200);
    const countyFindings = await t.db.knex('audit_findings').where({ region_code: COUNTY }).pluck('finding_no');
    expect(own.body.data.map((f: any) => f.findingNo).sort()).toEqual(countyFindings.sort());
    expect((await call(t.deputy, 'GET', `/audit/findings?region=${COUNTY}`)).body.data).toEqual(own.body.data);
    await expectStatus(call, county, [`/audit/findings?region=${CITY}`, `/audit/overdue?region=${CITY}`, `/audit/repeats?region=${CITY}`], 403);
    expect((await call(t.staff, 'GET', '/audit/findings?region=410000')).status).toBe(403);
  });

  it('lets deputies read what staff read, and write nothing', async () => {
    await expectDeputyReadsOnly(t, ['/audit/findings', '/audit/overdue', '/audit/repeats']);
    expect(await t.db.knex('audit_findings').where({ region_code: CITY }).count({ n: '*' })).toEqual([{ n: String(rows.length) }]);
  });

  it('refuses bad filters with 400 naming the field', async () => {
    for (const [query, field] of [['status=不知道', 'status'], ['overdue=maybe', 'overdue'], ['asOf=2026-02-30', 'asOf'], ['year=20x6', 'year'], ['region=4111', 'region']]) {
      expectFieldError(await call(t.deputy, 'GET', `/audit/findings?${query}`), field);
    }
  });
});
