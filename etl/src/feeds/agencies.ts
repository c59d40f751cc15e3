import { defineFeed } from './define-feed.js';

export const agencies = defineFeed({
  name: 'agencies',
  title: '预算单位',
  table: 'agencies',
  order: 0,
  columns: [
    { key: 'agency_code', zh: ['单位代码', '预算单位代码'], type: 'code', required: true },
    { key: 'agency_name', zh: ['单位名称', '预算单位名称'], type: 'text', required: true },
    { key: 'parent_code', zh: ['主管部门代码', '上级单位代码'], type: 'code' },
    { key: 'agency_type', zh: ['单位类型'], type: 'enum', values: ['行政', '事业', '其他'] },
  ],
  key: ['agency_code'],
  merge: 'full-state', // each file is the region's whole list as of its date
});
