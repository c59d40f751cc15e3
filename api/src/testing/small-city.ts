import Decimal from 'decimal.js';
import type { Knex } from 'knex';
import { Rng } from '../../../fixtures/src/index.js';
import { addDays } from '../clock.js';

/**
 * A small hand-written city for tests whose cases sit on exact edges (the drill-down's awkward
 * rows, scoping, the report's paragraphs, debt/asset/audit days): three regions, five
 * departments, written straight into the tables as one committed batch per region with source
 * 'demo'. Its few random amounts and days come from the fixture generator's seeded Rng; tests
 * that want a whole city load the generator's through the ETL (`loadCity`, city.ts).
 */

const DEPARTMENTS = [
  { code: '101', name: '教育局', func: '2050202', units: ['第一实验小学', '第二初级中学'] },
  { code: '102', name: '卫生健康委员会', func: '2100408', units: ['疾病预防控制中心', '中心医院'] },
  { code: '103', name: '农业农村局', func: '2130122', units: ['农业技术推广中心'] },
  { code: '104', name: '财政局', func: '2010601', units: ['国库支付中心'] },
  { code: '105', name: '人力资源和社会保障局', func: '2080109', units: ['社会保险服务中心'] },
];
const PAYEES = ['河南联创建设工程有限公司', '漯河市新华书店', '国网漯河供电公司', '中国移动漯河分公司', '漯河市宏达办公用品商行', '河南省医药集团有限公司'];

export interface SmallCitySummary {
  regions: number;
  vouchers: number;
}

export async function seedSmallCity(knex: Knex, today: string): Promise<SmallCitySummary> {
  const regions = ['411100', '411121', '411122'];
  const businessDate = addDays(today, -1); // T+1: as of the day before `today`
  const asOf = new Date(`${businessDate}T00:00:00Z`);
  const thisYear = asOf.getUTCFullYear();
  let voucherCount = 0;

  await knex.transaction(async (trx) => {
    for (const [ri, region] of regions.entries()) {
      const random = new Rng(1000 + ri, 'small-city');
      const rand = () => random.float();
      const [{ id: batchId }] = await trx('batches')
        .insert({ region_code: region, business_date: businessDate, source: 'demo', location: 'demo', status: 'committed', committed_at: trx.fn.now() })
        .returning('id');
      let line = 1;
      const lineage = () => ({ region_code: region, batch_id: batchId, source_line: ++line });

      const agencies = [];
      for (const d of DEPARTMENTS) {
        const dept = `${region}${d.code}`;
        agencies.push({ ...lineage(), agency_code: dept, agency_name: d.name, parent_code: null, agency_type: '行政' });
        d.units.forEach((u, i) =>
          agencies.push({ ...lineage(), agency_code: `${dept}${String(i + 1).padStart(3, '0')}`, agency_name: u, parent_code: dept, agency_type: '事业' }),
        );
      }
      await trx('agencies').insert(agencies);

      const indicators = [];
      const vouchers = [];
      for (const year of [thisYear - 1, thisYear]) {
        const lastDay = year === thisYear ? asOf : new Date(Date.UTC(year, 11, 31));
        for (const a of agencies.filter((x) => x.parent_code)) {
          const dept = DEPARTMENTS.find((d) => a.agency_code.startsWith(`${region}${d.code}`))!;
          const base = new Decimal(10000).times(Math.round(rand() * 400 + 100)); // 100–500 万元
          for (const [k, econ] of [['1', '30101'], ['2', '30201'], ['3', '31002']] as const) {
            const no = `ZB${year}${a.agency_code}${k}`;
            const amount = base.times(k === '1' ? 3 : 1).toFixed(2);
            indicators.push({
              ...lineage(), indicator_no: no, doc_no: `漯财预〔${year}〕${10 + Number(k)}号`, fiscal_year: year,
              agency_code: a.agency_code, dept_code: a.parent_code, func_code: dept.func, econ_code: econ, fund_type: '1',
              project_code: k === '3' ? `XM${year}${a.agency_code}` : null, project_name: k === '3' ? `${a.agency_name}设备购置项目` : null,
              indicator_kind: '年初预算', amount, issued_on: `${year}-01-10`,
            });
            // Spend a share of it over the months elapsed.
            const months = lastDay.getUTCMonth() + 1;
            const share = new Decimal(0.55 + rand() * 0.4).toDecimalPlaces(2);
            const monthly = new Decimal(amount).times(share).div(12).toDecimalPlaces(2);
            for (let m = 1; m <= months; m++) {
              const day = Math.min(28, 5 + Math.floor(rand() * 20));
              const date = `${year}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
              if (date > businessDate) break;
              vouchers.push({
                ...lineage(), voucher_no: `PZ${no}${String(m).padStart(2, '0')}`, fiscal_year: year, pay_date: date,
                agency_code: a.agency_code, dept_code: a.parent_code, indicator_no: no, func_code: dept.func, econ_code: econ,
                fund_type: '1', project_code: k === '3' ? `XM${year}${a.agency_code}` : null,
                payee_name: k === '1' ? a.agency_name : PAYEES[Math.floor(rand() * PAYEES.length)],
                payee_account: `4107${String(Math.floor(rand() * 1e12)).padStart(12, '0')}`,
                pay_method: '国库集中支付', purpose: k === '1' ? `${m}月工资` : k === '2' ? '办公用品采购' : '设备购置款', amount: monthly.toFixed(2),
              });
            }
          }
        }
      }
      await trx.batchInsert('budget_indicators', indicators, 500);
      await trx.batchInsert('payment_vouchers', vouchers, 500);
      voucherCount += vouchers.length;

      const revenues = [];
      for (const year of [thisYear - 1, thisYear]) {
        const months = year === thisYear ? asOf.getUTCMonth() + 1 : 12;
        for (const [code, name, budget] of [['10101', '增值税', '120000000'], ['10106', '个人所得税', '30000000'], ['10304', '行政事业性收费收入', '15000000']] as const) {
          const scale = ri === 0 ? '1' : '0.3';
          for (let m = 1; m <= months; m++) {
            revenues.push({
              ...lineage(), fiscal_year: year, month: m, budget_type: '1', revenue_code: code, revenue_name: name,
              budget_amount: new Decimal(budget).times(scale).toFixed(2),
              amount: new Decimal(budget).times(scale).div(12).times(0.85 + rand() * 0.2).toFixed(2),
            });
          }
        }
      }
      await trx('revenues').insert(revenues);

      await trx('debt_limits').insert({
        ...lineage(), fiscal_year: thisYear, general_limit: '5200000000.00', special_limit: '8600000000.00',
        general_balance: '4800000000.00', special_balance: '8100000000.00', fiscal_capacity: '9500000000.00',
      });
      const bonds = [0, 1, 2].map((i) => ({
        ...lineage(), bond_code: `${region}${thisYear - 3 + i}0${i + 1}`, bond_name: `${thisYear - 3 + i}年河南省政府${i % 2 ? '专项' : '一般'}债券（${i + 1}期）`,
        bond_type: i % 2 ? '专项债券' : '一般债券', purpose: i === 2 ? '再融资' : '新增', issue_date: `${thisYear - 3 + i}-06-15`,
        maturity_date: `${thisYear + 1 + i * 3}-06-15`, coupon_rate: (2.6 + i * 0.15).toFixed(2), amount: new Decimal('100000000').times(i + 2).toFixed(2),
      }));
      await trx('debt_bonds').insert(bonds);
      await trx('debt_repayments').insert(
        bonds.map((b) => ({ ...lineage(), bond_code: b.bond_code, due_date: `${thisYear + 1}-06-15`, principal: '0.00', interest: new Decimal(b.amount).times(b.coupon_rate).div(100).toFixed(2) })),
      );
      await trx('state_asset_reports').insert([
        { ...lineage(), report_year: thisYear - 1, entity_code: `${region}901`, entity_name: '城市建设投资集团有限公司', asset_category: '企业', industry: '非工业', total_assets: '12800000000.00', total_liabilities: '8900000000.00', operating_revenue: '960000000.00', net_profit: '52000000.00' },
        { ...lineage(), report_year: thisYear - 1, entity_code: `${region}101`, entity_name: '教育局', asset_category: '行政事业', industry: null, total_assets: '860000000.00', total_liabilities: '42000000.00', operating_revenue: null, net_profit: null },
      ]);
      await trx('asset_cards').insert([
        { ...lineage(), asset_no: `ZC${region}0001`, agency_code: `${region}101001`, asset_name: '教学楼A栋', asset_class: '房屋', original_value: '18600000.00', net_value: '12400000.00', status: '在用', status_since: `${thisYear - 6}-09-01` },
        { ...lineage(), asset_no: `ZC${region}0002`, agency_code: `${region}103001`, asset_name: '农机具仓库', asset_class: '房屋', original_value: '2300000.00', net_value: '900000.00', status: '闲置', status_since: `${thisYear - 2}-03-01` },
        { ...lineage(), asset_no: `ZC${region}0003`, agency_code: `${region}102`, asset_name: '豫L公务车', asset_class: '车辆', original_value: '260000.00', net_value: '40000.00', status: '待处置', status_since: `${thisYear}-02-01` },
      ]);
      await trx('audit_findings').insert([
        { ...lineage(), finding_no: `SJ${thisYear - 1}${region}01`, audit_year: thisYear - 1, audit_project: `${thisYear - 1}年度本级预算执行审计`, agency_code: `${region}101`, category: '预算执行', description: '部分项目资金未按进度拨付，形成资金沉淀', amount_involved: '3200000.00', rectify_deadline: `${thisYear}-06-30`, status: '整改中', rectified_amount: '1200000.00', closed_on: null },
        { ...lineage(), finding_no: `SJ${thisYear - 1}${region}02`, audit_year: thisYear - 1, audit_project: `${thisYear - 1}年度本级预算执行审计`, agency_code: `${region}102`, category: '三公经费', description: '公务接待超标准列支', amount_involved: '86000.00', rectify_deadline: `${thisYear}-03-31`, status: '已整改', rectified_amount: '86000.00', closed_on: `${thisYear}-03-20` },
      ]);
    }
  });
  return { regions: regions.length, vouchers: voucherCount };
}
