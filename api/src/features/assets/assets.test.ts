import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysBetween } from '../../clock.js';
import { createUser } from '../../security/attack-client.js';
import { expectDeputyReadsOnly, expectFieldError, expectStatus, loadCity, loginAs, openApiTest, type ApiTest, type BoundApiCall } from '../../testing/index.js';

// 国有资产 over the generator's city as of mid-year: every figure the API sends is checked
// against the rows the ETL loaded, sums to the cent with decimal.js.
const AS_OF = '2026-06-30';
const CITY = '411100';
const COUNTY = '411121';

const sum = (xs: (string | null)[]) => xs.reduce((a, x) => a.plus(x ?? 0), new Decimal(0)).toFixed(2);
const percent = (part: Decimal.Value, whole: Decimal.Value) => new Decimal(part).times(100).div(whole).toDecimalPlaces(2).toFixed(2);

describe('assets API (国有资产) over the generated city', () => {
  let t: ApiTest;
  let call: BoundApiCall;
  let county: string;
  beforeAll(async () => {
    t = await openApiTest({ seed: (db) => loadCity(db, AS_OF) });
    call = t.call;
    await createUser(t.db.knex, { username: 'wuyang_deputy', password: 'County@2026', role: 'deputy', region: COUNTY });
    county = await loginAs(t.srv.baseUrl, { username: 'wuyang_deputy', password: 'County@2026' });
  }, 300_000);
  afterAll(() => t?.close());

  it('sends the latest year’s state-asset reports with exact net assets and liability ratios, and category totals that add up', async () => {
    const res = await call(t.deputy, 'GET', `/assets/reports?region=${CITY}`);
    expect(res.status).toBe(200);
    const [{ y }] = await t.db.knex('state_asset_reports').where({ region_code: CITY }).max('report_year as y');
    expect(res.body.meta.year).toBe(y);
    const rows = await t.db.knex('state_asset_reports').where({ region_code: CITY, report_year: y }).orderBy(['asset_category', 'entity_code']);
    expect(rows.length).toBeGreaterThan(3);
    expect(res.body.data.map((r: any) => r.entityCode)).toEqual(rows.map((r) => r.entity_code));
    for (const [i, r] of rows.entries()) {
      const sent = res.body.data[i];
      expect(sent.netAssets, r.entity_code).toBe(new Decimal(r.total_assets).minus(r.total_liabilities).toFixed(2));
      expect(sent.liabilityPercent2dp, r.entity_code).toBe(percent(r.total_liabilities, r.total_assets));
      expect(new Decimal(sent.liabilityRatioExact).minus(new Decimal(r.total_liabilities).div(r.total_assets)).abs().lt('1e-19'), r.entity_code).toBe(true);
    }
    const categories = [...new Set(rows.map((r) => r.asset_category))].sort();
    expect(res.body.meta.categories).toEqual(
      categories.map((c) => {
        const of = rows.filter((r) => r.asset_category === c);
        const [assets, liabilities] = [sum(of.map((r) => r.total_assets)), sum(of.map((r) => r.total_liabilities))];
        return { assetCategory: c, entities: String(of.length), totalAssets: assets, totalLiabilities: liabilities, liabilityPercent2dp: percent(liabilities, assets) };
      }),
    );
    // One category, and an earlier year.
    const enterprises = await call(t.deputy, 'GET', `/assets/reports?region=${CITY}&category=企业`);
    expect(enterprises.body.data.map((r: any) => r.entityCode)).toEqual(rows.filter((r) => r.asset_category === '企业').map((r) => r.entity_code));
    const earlier = await call(t.deputy, 'GET', `/assets/reports?region=${CITY}&year=${y - 1}`);
    expect(earlier.body.data).toHaveLength(Number((await t.db.knex('state_asset_reports').where({ region_code: CITY, report_year: y - 1 }).count({ n: '*' }))[0].n));
  });

  it('sends every asset card with its days in status at the latest delivery, and the idle list with exact values', async () => {
    const cards = await call(t.deputy, 'GET', `/assets/cards?region=${CITY}`);
    expect(cards.status).toBe(200);
    expect(cards.body.meta.asOf).toBe(AS_OF);
    const rows = await t.db.knex('asset_cards').where({ region_code: CITY });
    expect(cards.body.data).toHaveLength(rows.length);
    const byNo = new Map(rows.map((r) => [r.asset_no, r]));
    for (const c of cards.body.data) {
      const r = byNo.get(c.assetNo)!;
      expect([c.status, c.originalValue, c.daysInStatus], c.assetNo).toEqual([r.status, r.original_value, Math.max(0, daysBetween(r.status_since, AS_OF))]);
    }
    const idleRows = rows.filter((r) => r.status === '闲置');
    expect(idleRows.length).toBeGreaterThan(0);
    const idle = await call(t.deputy, 'GET', `/assets/idle?region=${CITY}`);
    expect(idle.body.data.map((c: any) => c.assetNo).sort()).toEqual(idleRows.map((r) => r.asset_no).sort());
    expect(sum(idle.body.data.map((c: any) => c.originalValue))).toBe(sum(idleRows.map((r) => r.original_value)));
    // Longest idle first; minDays keeps those idle at least that long.
    const days = idle.body.data.map((c: any) => c.daysInStatus);
    expect(days).toEqual([...days].sort((a: number, b: number) => b - a));
    const planted = await call(t.deputy, 'GET', `/assets/idle?region=${CITY}&minDays=365`);
    expect(planted.body.data.map((c: any) => c.assetNo)).toEqual(idle.body.data.filter((c: any) => c.daysInStatus >= 365).map((c: any) => c.assetNo));
    expect(planted.body.data.length).toBeGreaterThan(0); // the generator's R16 plant (400 days)
    const vehicles = await call(t.deputy, 'GET', `/assets/cards?region=${CITY}&assetClass=车辆`);
    expect(vehicles.body.data).toHaveLength(rows.filter((r) => r.asset_class === '车辆').length);
  });

  it('answers each region its own assets; a county user sees the county only', async () => {
    const own = await call(county, 'GET', '/assets/cards');
    expect(own.status).toBe(200);
    const countyCards = await t.db.knex('asset_cards').where({ region_code: COUNTY }).pluck('asset_no');
    expect(own.body.data.map((c: any) => c.assetNo).sort()).toEqual(countyCards.sort());
    expect((await call(t.deputy, 'GET', `/assets/cards?region=${COUNTY}`)).body.data).toEqual(own.body.data);
    await expectStatus(call, county, [`/assets/cards?region=${CITY}`, `/assets/reports?region=${CITY}`, `/assets/idle?region=${CITY}`], 403);
    expect((await call(t.staff, 'GET', '/assets/reports?region=410000')).status).toBe(403);
  });

  it('lets deputies read what staff read, and write nothing', async () => {
    await expectDeputyReadsOnly(t, ['/assets/reports', '/assets/cards', '/assets/idle']);
    expect(await t.db.knex('asset_cards').where({ region_code: CITY }).count({ n: '*' })).toEqual([{ n: String((await call(t.staff, 'GET', '/assets/cards')).body.data.length) }]);
  });

  it('refuses bad filters with 400 naming the field', async () => {
    for (const [query, field] of [['category=银行', 'category'], ['status=丢失', 'status'], ['assetClass=飞机', 'assetClass'], ['minDays=-1', 'minDays'], ['asOf=2026-02-30', 'asOf'], ['year=20x6', 'year']]) {
      expectFieldError(await call(t.deputy, 'GET', `/assets/cards?${query}`), field);
    }
  });
});
