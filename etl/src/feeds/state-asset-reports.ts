import { defineFeed, YEAR } from './define-feed.js';

export const stateAssetReports = defineFeed({
  name: 'state_asset_reports',
  title: '国有资产报表',
  table: 'state_asset_reports',
  order: 80,
  columns: [
    { key: 'report_year', zh: ['报告年度'], type: 'int', required: true, ...YEAR },
    { key: 'entity_code', zh: ['单位/企业代码', '单位代码', '企业代码'], type: 'code', required: true },
    { key: 'entity_name', zh: ['名称', '单位名称', '企业名称'], type: 'text', required: true },
    { key: 'asset_category', zh: ['资产类别'], type: 'enum', required: true, values: ['企业', '金融企业', '行政事业', '自然资源'] },
    { key: 'industry', zh: ['行业'], type: 'text' },
    { key: 'total_assets', zh: ['资产总额'], type: 'amount', required: true },
    { key: 'total_liabilities', zh: ['负债总额'], type: 'amount', required: true },
    { key: 'operating_revenue', zh: ['营业收入'], type: 'amount' },
    { key: 'net_profit', zh: ['净利润'], type: 'amount' },
  ],
  key: ['report_year', 'entity_code'],
  merge: 'full-state', // each file is the region's whole list as of its date
});
