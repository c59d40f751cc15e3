import { describe, expect, it } from 'vitest';
import { explanationIn } from './alert-values';

describe('explanationIn: an alert explanation in the chosen money unit', () => {
  const text = '漯河市一般债务余额 9,017,000,000.00 元，超出限额 9,000,000,000.00 元共 17,000,000.00 元';
  it('keeps 元 as written', () => {
    expect(explanationIn(text, 'yuan')).toBe(text);
  });
  it('converts every amount to 万元 and 亿元, half-up, with the unit', () => {
    expect(explanationIn(text, 'wan')).toBe('漯河市一般债务余额 901,700.00 万元，超出限额 900,000.00 万元共 1,700.00 万元');
    expect(explanationIn(text, 'yi')).toBe('漯河市一般债务余额 90.17 亿元，超出限额 90.00 亿元共 0.17 亿元');
  });
  it('handles a refund and leaves percentages and codes alone', () => {
    expect(explanationIn('单位 411100101 调减 -12,345.67 元，执行率 60.00%', 'wan')).toBe('单位 411100101 调减 -1.23 万元，执行率 60.00%');
  });
  it('puts separators in voucher counts', () => {
    expect(explanationIn('无指标支付 3038 笔，共 1,000.00 元', 'yuan')).toBe('无指标支付 3,038 笔，共 1,000.00 元');
    expect(explanationIn('无指标支付 12 笔', 'yuan')).toBe('无指标支付 12 笔');
  });
});
