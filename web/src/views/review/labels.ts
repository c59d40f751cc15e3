import type { ReviewFinding } from '@/api/review';

export const SEVERITY_LABEL: Record<ReviewFinding['severity'], string> = { issue: '问题', attention: '关注', note: '提示' };
export const SEVERITY_TAG: Record<ReviewFinding['severity'], 'danger' | 'warning' | 'info'> = { issue: 'danger', attention: 'warning', note: 'info' };
export const DECISION_LABEL = { accepted: '已写入意见', rejected: '不采纳' } as const;
export const BUDGET_TYPE_LABEL: Record<string, string> = { '1': '一般公共预算', '2': '政府性基金预算', '3': '国有资本经营预算', '4': '社会保险基金预算' };
export const STAGE_LABEL: Record<string, string> = { 草案: '预算草案', 调整: '预算调整方案', 批准: '批准预算', 决算: '决算草案' };
