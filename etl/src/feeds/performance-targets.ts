import { defineFeed, YEAR, type RowProblem } from './define-feed.js';

/** A quantitative target or result: a plain decimal (thousands separators and signs as amounts do not apply). */
const DECIMAL = /^-?\d{1,15}(\.\d{1,6})?$/;

/**
 * 绩效目标与监控 ("双监控"): a project's performance targets with the latest reported result.
 * A later delivery repeating (indicator_no, target_no) corrects it, usually with a newer
 * actual_value. The values are text in the feed (a 定性 target is words), so the decimal
 * shape of the quantitative ones and the result's date are checked across the row.
 */
export const performanceTargets = defineFeed({
  name: 'performance_targets',
  title: '绩效目标与监控',
  table: 'performance_targets',
  order: 100,
  columns: [
    // The indicator the target belongs to, or its project_code while the indicator is not issued.
    { key: 'indicator_no', zh: ['指标编号', '项目编码'], type: 'code', required: true },
    { key: 'target_no', zh: ['绩效指标编号'], type: 'code', required: true },
    { key: 'fiscal_year', zh: ['预算年度', '年度'], type: 'int', required: true, ...YEAR },
    { key: 'level1', zh: ['一级指标'], type: 'enum', required: true, values: ['产出', '效益', '满意度', '成本'] },
    { key: 'level2', zh: ['二级指标'], type: 'text' },
    { key: 'target_name', zh: ['绩效指标名称', '三级指标'], type: 'text', required: true },
    { key: 'direction', zh: ['方向', '指标方向'], type: 'enum', required: true, values: ['≥', '≤', '=', '定性'] },
    { key: 'target_value', zh: ['目标值', '指标值'], type: 'text', required: true },
    { key: 'unit', zh: ['计量单位', '单位'], type: 'text' },
    { key: 'actual_value', zh: ['完成值', '实际完成值'], type: 'text' },
    { key: 'actual_as_of', zh: ['完成值日期', '监控日期'], type: 'date' },
    { key: 'self_score', zh: ['自评得分'], type: 'score', min: 0, max: 100 },
  ],
  key: ['indicator_no', 'target_no'],
  merge: 'upsert',
  checkRow: checkTarget,
});

export function checkTarget(get: (key: string) => string | null): RowProblem | null {
  const quantitative = get('direction') !== '定性';
  if (quantitative && !DECIMAL.test(get('target_value')!)) {
    return { column: 'target_value', reason: `定量指标的目标值须为数字（如 1200 或 95.5）：${get('target_value')}` };
  }
  const actual = get('actual_value');
  if (actual !== null && quantitative && !DECIMAL.test(actual)) {
    return { column: 'actual_value', reason: `定量指标的完成值须为数字：${actual}` };
  }
  if (actual !== null && get('actual_as_of') === null) {
    return { column: 'actual_as_of', reason: '有完成值时须填写完成值日期' };
  }
  return null;
}
