/** The rule catalogue of RULES.md (ids and Chinese names) for filters and labels. */
export const RULE_NAMES: Record<string, string> = {
  R01: '支出进度滞后', R02: '超指标支付', R03: '无指标支付', R04: '追加率过高', R05: '三公经费超支或增长', R06: '年底突击花钱',
  R07: '结转资金闲置', R08: '重点民生支出滞后', R09: '收入进度滞后', R10: '预备费设置', R11: '债务率', R12: '债务余额超限额',
  R13: '逾期未还', R14: '到期集中', R15: '资产负债率超警戒线', R16: '资产长期闲置', R17: '审计整改逾期', R18: '屡审屡犯',
};
