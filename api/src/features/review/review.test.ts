import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGeneratedCity } from '../../../../etl/src/index.js';
import { openingFiscalYear } from '../../clock.js';
import type { TestDatabase } from '../../testing/index.js';
import { docxParts } from '../../report/docx-xml.js';
import { reviewRegion } from '../../review/index.js';
import { openApiTest, type BoundApiCall, type TestServer } from '../../testing/index.js';
import type { ReviewFinding, ReviewWorkspace } from './contract.js';

/**
 * The review through HTTP on the generated city: the workspace beside last year's figures,
 * staff deciding findings, the 初审意见 holding exactly the accepted ones with their figures,
 * deputies reading and leaving opinions but refused every decision.
 */
const AS_OF = '2026-06-30';
/** '1234.50' / '-3.00' → cents, exactly. */
const cents = (v: string) => BigInt(v.replace('.', ''));
const FY = openingFiscalYear(AS_OF);
const DRAFT = `/review/documents/${FY}/${encodeURIComponent('草案')}?region=411100`;

describe('budget review API', () => {
  let db: TestDatabase;
  let srv: TestServer;
  let staff: string;
  let deputy: string;
  let call: BoundApiCall;
  let ws: ReviewWorkspace;

  beforeAll(async () => {
    ({ db, srv, staff, deputy, call } = await openApiTest({
      seed: async (d) => {
        await loadGeneratedCity(d.knex, { until: AS_OF, vouchers: 16_000, seed: 11, postLoad: [] });
        await reviewRegion(d.knex, '411100');
      },
    }));
    ws = (await call(staff, 'GET', DRAFT)).body.data;
  }, 300_000);
  afterAll(async () => {
    await srv?.close();
    await db?.drop();
  });

  it('lists the documents of the region with their findings counted', async () => {
    const { status, body } = await call(deputy, 'GET', '/review/documents?region=411100');
    expect(status).toBe(200);
    expect(body.data.map((d: { fiscalYear: number; stage: string }) => `${d.fiscalYear}${d.stage}`)).toEqual([`${FY}草案`, `${FY}调整`, `${FY}批准`, `${FY - 1}批准`, `${FY - 1}决算`]);
    // Mid-year no draft is under review: the workspace opens on the approved budget.
    expect(body.data.filter((d: { opening: boolean }) => d.opening).map((d: { fiscalYear: number; stage: string }) => `${d.fiscalYear}${d.stage}`)).toEqual([`${FY}批准`]);
    expect(body.data.filter((d: { underReview: boolean }) => d.underReview)).toEqual([]);
    const draft = body.data[0];
    expect(draft.findings.total).toBe(ws.findings.length);
    expect(draft.revenue).toBe(ws.document.revenue);
    expect(BigInt(draft.revenue.replace('.', ''))).toBeGreaterThan(0n);
  });

  it('shows each line beside last year with the change, and sums that reconcile to the cent', () => {
    const line = ws.lines.find((l) => l.priorBudget && l.agencyCode)!;
    expect(cents(line.change!)).toBe(cents(line.amount) - cents(line.priorBudget!));
    const total = ws.lines.filter((l) => l.direction === '支出' && l.agencyCode === null).reduce((s, l) => s + cents(l.amount), 0n);
    const byType = ws.groups.budgetTypes.reduce((s, g) => s + cents(g.amount), 0n);
    const byClass = ws.groups.functions.filter((g) => g.level === 1).reduce((s, g) => s + cents(g.amount), 0n);
    expect([byType, byClass]).toEqual([total, total]);
    expect(ws.groups.functions.find((g) => g.level === 3)!.parent).toMatch(/^\d{5}$/);
    const d01 = ws.findings.find((f) => f.checkId === 'D01')!;
    expect(d01.id).toMatch(/^411100-\d+$/); // region and id, as the database keys it
    expect(ws.lines.find((l) => l.lineNo === d01.lineNos[0])!.findingIds).toContain(d01.id);
  });

  it('lets staff accept three findings and reject one with a reason; the 初审意见 holds exactly the accepted, with their figures', async () => {
    const pick = ['D01', 'D05', 'D07'].map((c) => ws.findings.find((f) => f.checkId === c)!);
    for (const f of pick) {
      const { status, body } = await call(staff, 'POST', `/review/findings/${f.id}/decision`, { decision: 'accepted', note: '写入初审意见' });
      expect([status, body.data.decision]).toEqual([200, 'accepted']);
    }
    const d09 = ws.findings.find((f) => f.checkId === 'D09')!;
    expect((await call(staff, 'POST', `/review/findings/${d09.id}/decision`, { decision: 'rejected' })).status).toBe(400);
    expect((await call(staff, 'POST', `/review/findings/${d09.id}/decision`, { decision: 'rejected', note: '部门已另行说明' })).body.data.decisionNote).toBe('部门已另行说明');

    const gen = await call(staff, 'POST', `/review/documents/${FY}/${encodeURIComponent('草案')}/opinion-docs?region=411100`);
    expect(gen.status).toBe(201);
    expect(gen.body.data.findingIds.sort()).toEqual(pick.map((f) => f.id).sort());
    expect(gen.body.data.id).toMatch(/^411100-\d+$/);
    const file = await fetch(`${srv.baseUrl}/api/v1/review/opinion-docs/${gen.body.data.id}/file`, { headers: { cookie: deputy } });
    expect(file.status).toBe(200);
    // The id alone is refused; the same id under another region is not found (and not read there).
    const [, docNo] = gen.body.data.id.split('-');
    expect((await fetch(`${srv.baseUrl}/api/v1/review/opinion-docs/${docNo}/file`, { headers: { cookie: deputy } })).status).toBe(400);
    expect((await fetch(`${srv.baseUrl}/api/v1/review/opinion-docs/411121-${docNo}/file`, { headers: { cookie: deputy } })).status).toBe(404);
    const text = docxParts(Buffer.from(await file.arrayBuffer())).documentXml.replace(/<[^>]+>/g, '');
    for (const f of pick) expect(text).toContain(f.explanation);
    expect(text).toContain('预算法第四十条');
    expect(text).not.toContain(d09.explanation);
    expect(text).toContain('合法性方面');
    expect(text).toContain('意见和建议');
    const listed = await call(deputy, 'GET', `/review/opinion-docs?region=411100&fy=${FY}`);
    expect(listed.body.data.map((d: { id: string }) => d.id)).toEqual([gen.body.data.id]);
  });

  it('filters the findings list', async () => {
    const issues = (await call(deputy, 'GET', `/review/findings?region=411100&fy=${FY}&stage=${encodeURIComponent('草案')}&severity=issue`)).body.data as ReviewFinding[];
    expect(issues.length).toBeGreaterThan(3);
    expect(issues.every((f) => f.severity === 'issue' && f.stage === '草案')).toBe(true);
    const accepted = (await call(deputy, 'GET', '/review/findings?decision=accepted')).body.data as ReviewFinding[];
    expect(accepted.map((f) => f.checkId).sort()).toEqual(['D01', 'D05', 'D07']);
  });

  it('lets a deputy leave opinions on a line and on a finding, which staff see in the opinions list; refuses a forged decision with 403', async () => {
    const line = ws.lines[0];
    const onLine = await call(deputy, 'POST', `/review/documents/${FY}/${encodeURIComponent('草案')}/lines/${line.lineNo}/opinions?region=411100`, { body: '这一行比上年增长较快，请说明依据' });
    expect(onLine.status).toBe(201);
    expect(onLine.body.data).toMatchObject({ target: 'review', review: { fiscalYear: FY, stage: '草案', lineNo: line.lineNo, findingId: null } });
    const f = ws.findings[0];
    expect((await call(deputy, 'POST', `/review/findings/${f.id}/opinions`, { body: '同意写入' })).body.data.review).toMatchObject({ findingId: f.id, checkId: f.checkId });
    const forged = await call(deputy, 'POST', `/review/findings/${f.id}/decision`, { decision: 'accepted', note: '' });
    expect([forged.status, forged.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const [, findingNo] = f.id.split('-');
    expect([(await call(deputy, 'POST', `/review/findings/${findingNo}/opinions`, { body: '只有编号' })).status]).toEqual([400]);
    expect((await call(staff, 'POST', `/review/findings/411121-${findingNo}/decision`, { decision: 'accepted', note: '' })).status).toBe(404);
    expect((await call(deputy, 'POST', `/review/documents/${FY}/${encodeURIComponent('草案')}/run?region=411100`)).status).toBe(403);
    const unanswered = (await call(staff, 'GET', '/opinions?unanswered=true&target=review')).body.data;
    expect(unanswered.map((o: { body: string }) => o.body).sort()).toEqual(['同意写入', '这一行比上年增长较快，请说明依据']);
    expect((await call(staff, 'GET', '/opinions?target=department')).body.data).toEqual([]);
    const docOpinions = (await call(deputy, 'GET', `/review/documents/${FY}/${encodeURIComponent('草案')}/opinions?region=411100`)).body.data;
    expect(docOpinions).toHaveLength(2);
  });

  it('gives the four lists (四张清单) as tables and as Excel', async () => {
    const path = (list: string) => `/review/documents/${FY}/${encodeURIComponent('草案')}/lists/${list}?region=411100`;
    const projects = (await call(deputy, 'GET', path('projects'))).body.data;
    expect(projects.title).toBe('项目清单');
    const d07 = ws.findings.find((f) => f.checkId === 'D07')!;
    const row = projects.rows.find((r: Record<string, string>) => `project:${ws.lines.find((l) => l.lineNo === d07.lineNos[0])!.agencyCode}|${r.projectCode}` === d07.subjectKey);
    expect([row.executionPercent, row.findings]).toEqual(['45.00', '1']);
    const standards = (await call(deputy, 'GET', path('standards'))).body.data;
    expect(standards.rows).toHaveLength(3);
    expect(standards.rows[0].note).toContain('元/人');
    expect((await call(deputy, 'GET', path('problems'))).body.data.rows).toHaveLength(ws.findings.length);
    // The demo city delivers performance targets (the key-supervision feed): the list holds the
    // draft's projects' targets, and only theirs.
    const performance = (await call(deputy, 'GET', path('performance'))).body.data.rows as { projectCode: string; targetName: string }[];
    const draftProjects = new Set(ws.lines.map((l) => l.projectCode).filter(Boolean));
    expect(performance.length).toBeGreaterThan(0);
    expect(performance.filter((r) => !draftProjects.has(r.projectCode) || !r.targetName)).toEqual([]);
    expect((await call(deputy, 'GET', path('budgets'))).status).toBe(400);
    const x = await fetch(`${srv.baseUrl}/api/v1${path('projects')}&format=xlsx`, { headers: { cookie: deputy } });
    expect([x.status, x.headers.get('content-type')]).toEqual([200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
  });

  it('answers 404 for a document or line that does not exist and 403 outside the user\'s regions', async () => {
    expect((await call(staff, 'GET', `/review/documents/1999/${encodeURIComponent('草案')}?region=411100`)).status).toBe(404);
    expect((await call(deputy, 'POST', `/review/documents/${FY}/${encodeURIComponent('草案')}/lines/9999/opinions?region=411100`, { body: 'x' })).status).toBe(404);
    expect((await call(staff, 'GET', '/review/documents?region=410100')).status).toBe(403);
  });

  it('runs on demand and exports the lines and the findings to Excel', async () => {
    const run = await call(staff, 'POST', `/review/documents/${FY}/${encodeURIComponent('草案')}/run?region=411100`);
    expect(run.body.data).toMatchObject({ inserted: 0, removed: 0 });
    const x = await fetch(`${srv.baseUrl}/api/v1/review/documents/${FY}/${encodeURIComponent('草案')}/export?region=411100&view=findings`, { headers: { cookie: deputy } });
    expect([x.status, x.headers.get('content-type')]).toEqual([200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    expect((await x.arrayBuffer()).byteLength).toBeGreaterThan(3000);
    const checks = (await call(deputy, 'GET', '/review/checks?region=411100')).body.data;
    expect(checks.map((c: { id: string }) => c.id)).toHaveLength(14);
  });

  it('lets staff change a check\'s thresholds for the region, versioned with a reason, effective at the next run; deputies get 403', async () => {
    const D01 = '/review/checks/D01?region=411100';
    const before = (await call(deputy, 'GET', '/review/checks?region=411100')).body.data.find((c: { id: string }) => c.id === 'D01');
    expect(before).toMatchObject({ params: { minPercent: '1', maxPercent: '3', severity: 'issue' }, defaults: { minPercent: '1' }, setIn: null });
    const d01 = async () => (await call(staff, 'GET', `/review/findings?region=411100&fy=${FY}&stage=${encodeURIComponent('草案')}&check=D01`)).body.data.filter((f: ReviewFinding) => f.current);
    expect(await d01()).toHaveLength(1); // the demo's reserve sits at 0.8 %

    // Deputies read but never change; a bad threshold names its field; another province's region is refused.
    expect((await call(deputy, 'PUT', D01, { params: { ...before.params, minPercent: '0.5' }, reason: '试' })).status).toBe(403);
    const bad = await call(staff, 'PUT', D01, { params: { ...before.params, maxPercent: '0.5' }, reason: '上限低于下限' });
    expect([bad.status, bad.body.error.details.issues[0].field]).toEqual([400, 'params.maxPercent']);
    expect((await call(staff, 'PUT', D01, { params: before.params })).status).toBe(400); // no reason
    expect((await call(staff, 'PUT', '/review/checks/D01?region=410100', { params: before.params, reason: '外地' })).status).toBe(403);
    expect((await call(staff, 'PUT', '/review/checks/D99?region=411100', { enabled: false, reason: '无此项' })).status).toBe(404);

    const changed = await call(staff, 'PUT', D01, { params: { ...before.params, minPercent: '0.5' }, reason: '本市预备费下限按 0.5% 审查（试行）' });
    expect(changed.status).toBe(200);
    expect(changed.body.data).toMatchObject({ id: 'D01', setIn: '411100', params: { minPercent: '0.5' } });
    expect(changed.body.data.version).toBeGreaterThan(before.version);
    // The counties below inherit it; the province above keeps the defaults.
    const county = (await call(staff, 'GET', '/review/checks?region=411122')).body.data.find((c: { id: string }) => c.id === 'D01');
    expect(county).toMatchObject({ setIn: '411100', params: { minPercent: '0.5' } });
    const history = (await call(deputy, 'GET', '/review/checks/D01/history?region=411100')).body.data;
    expect(history[0]).toMatchObject({ regionCode: '411100', paramsOld: { minPercent: '1' }, paramsNew: { minPercent: '0.5' }, reason: '本市预备费下限按 0.5% 审查（试行）', changedBy: { username: 'staff' } });

    // Findings follow at the next run: 0.8 % is inside 0.5 %–3 %.
    expect(await d01()).toHaveLength(1);
    await call(staff, 'POST', `/review/documents/${FY}/${encodeURIComponent('草案')}/run?region=411100`);
    expect(await d01()).toHaveLength(0);

    // Back to the defaults' values: a further version, and the finding returns with the next run.
    expect((await call(staff, 'PUT', D01, { params: before.params, reason: '恢复默认' })).body.data.params).toEqual(before.params);
    await call(staff, 'POST', `/review/documents/${FY}/${encodeURIComponent('草案')}/run?region=411100`);
    expect(await d01()).toHaveLength(1);
  });
});
