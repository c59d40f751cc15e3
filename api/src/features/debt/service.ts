import Decimal from 'decimal.js';
import type { Knex } from 'knex';
import { debtLimitsOf } from './queries.js';

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

/**
 * Limits, balances and the debt ratio = (general + special balance) / fiscal capacity. Over
 * several regions (全辖): each region's latest limits row up to `year`, summed.
 */
export async function debtSummary(knex: Knex, regionCodes: string[], year: number) {
  const ls = await debtLimitsOf(knex, regionCodes, year);
  if (!ls.length) return { fiscalYear: year, available: false as const };
  const sum = (k: 'general_limit' | 'special_limit' | 'general_balance' | 'special_balance' | 'fiscal_capacity') =>
    ls.reduce((a, r) => a.plus(r[k]), new Decimal(0)).toFixed(2);
  const l = {
    fiscal_year: Math.max(...ls.map((r) => r.fiscal_year)),
    general_limit: sum('general_limit'), special_limit: sum('special_limit'),
    general_balance: sum('general_balance'), special_balance: sum('special_balance'), fiscal_capacity: sum('fiscal_capacity'),
  };
  const balance = new Decimal(l.general_balance).plus(l.special_balance);
  const limit = new Decimal(l.general_limit).plus(l.special_limit);
  const ratio = new Decimal(l.fiscal_capacity).isZero() ? null : balance.div(l.fiscal_capacity);
  const { rows: [bondTotals] } = await knex.raw(
    `select count(*)::text as bonds, coalesce(sum(amount), 0)::numeric(18,2) as issued from debt_bonds where region_code = any(?)`,
    [regionCodes],
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
    // The row each region's figures come from (one for 本级).
    lineage: { batchId: String(ls[0]!.batch_id), sourceLine: ls[0]!.source_line },
    ...(ls.length > 1 ? { regions: ls.map((r) => ({ regionCode: r.region_code, fiscalYear: r.fiscal_year, batchId: String(r.batch_id), sourceLine: r.source_line })) } : {}),
  };
}
