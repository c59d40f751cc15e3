import Decimal from 'decimal.js';
import type { Knex } from 'knex';
import { debtLimits } from './queries.js';

const rate = (num: Decimal.Value, den: Decimal.Value) => {
  const d = new Decimal(den);
  if (d.isZero()) return { rateExact: null, percent2dp: null };
  const r = new Decimal(num).div(d);
  return { rateExact: r.toString(), percent2dp: r.times(100).toFixed(2) };
};

/** Local debt risk grade by 债务率 (GLOSSARY.md): green < 120%, yellow 120–200%, orange 200–300%, red ≥ 300%. */
export function debtGrade(ratio: Decimal): 'green' | 'yellow' | 'orange' | 'red' {
  if (ratio.gte(3)) return 'red';
  if (ratio.gte(2)) return 'orange';
  if (ratio.gte(1.2)) return 'yellow';
  return 'green';
}

/** Limits, balances and the debt ratio = (general + special balance) / fiscal capacity. */
export async function debtSummary(knex: Knex, regionCode: string, year: number) {
  const l = await debtLimits(knex, regionCode, year);
  if (!l) return { fiscalYear: year, available: false as const };
  const balance = new Decimal(l.general_balance).plus(l.special_balance);
  const limit = new Decimal(l.general_limit).plus(l.special_limit);
  const ratio = new Decimal(l.fiscal_capacity).isZero() ? null : balance.div(l.fiscal_capacity);
  const { rows: [bondTotals] } = await knex.raw(
    `select count(*)::text as bonds, coalesce(sum(amount), 0)::numeric(18,2) as issued from debt_bonds where region_code = ?`,
    [regionCode],
  );
  return {
    fiscalYear: l.fiscal_year,
    available: true as const,
    general: { limit: l.general_limit, balance: l.general_balance, headroom: new Decimal(l.general_limit).minus(l.general_balance).toFixed(2), balanceToLimit: rate(l.general_balance, l.general_limit) },
    special: { limit: l.special_limit, balance: l.special_balance, headroom: new Decimal(l.special_limit).minus(l.special_balance).toFixed(2), balanceToLimit: rate(l.special_balance, l.special_limit) },
    total: { limit: limit.toFixed(2), balance: balance.toFixed(2), headroom: limit.minus(balance).toFixed(2) },
    fiscalCapacity: l.fiscal_capacity,
    debtRatio: { ...rate(balance, l.fiscal_capacity), grade: ratio ? debtGrade(ratio) : null },
    bonds: { count: bondTotals.bonds as string, issued: bondTotals.issued as string },
    lineage: { batchId: String(l.batch_id), sourceLine: l.source_line },
  };
}
