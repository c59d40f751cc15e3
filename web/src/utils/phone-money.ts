import Decimal from 'decimal.js';
import { formatMoney, type MoneyUnit } from './money';

/** Money as a phone reads it: 亿元 from a hundred million, else 万元 (元 below ten thousand). */
export function readableMoney(amount: string | null | undefined): { value: string; unit: string } {
  if (amount == null || amount === '') return { value: '—', unit: '' };
  const abs = new Decimal(amount).abs();
  const unit: MoneyUnit = abs.gte(1e8) ? 'yi' : abs.gte(1e4) ? 'wan' : 'yuan';
  return { value: formatMoney(amount, unit), unit: unit === 'yi' ? '亿元' : unit === 'wan' ? '万元' : '元' };
}

export const readableMoneyText = (amount: string | null | undefined) => {
  const m = readableMoney(amount);
  return m.unit ? `${m.value} ${m.unit}` : m.value;
};
