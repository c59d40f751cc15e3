import { defineFeed } from './define-feed.js';

export const assetCards = defineFeed({
  name: 'asset_cards',
  title: '资产卡片',
  table: 'asset_cards',
  order: 90,
  columns: [
    { key: 'asset_no', zh: ['资产编号'], type: 'code', required: true },
    { key: 'agency_code', zh: ['单位代码', '预算单位代码'], type: 'code', required: true },
    { key: 'asset_name', zh: ['资产名称'], type: 'text', required: true },
    { key: 'asset_class', zh: ['资产分类'], type: 'enum', required: true, values: ['房屋', '土地', '车辆', '设备', '其他'] },
    { key: 'original_value', zh: ['原值'], type: 'amount', required: true },
    { key: 'net_value', zh: ['净值'], type: 'amount' },
    { key: 'status', zh: ['使用状态'], type: 'enum', required: true, values: ['在用', '闲置', '出租出借', '待处置'] },
    { key: 'status_since', zh: ['状态起始日期'], type: 'date', required: true },
  ],
  key: ['asset_no'],
  merge: 'upsert',
});
