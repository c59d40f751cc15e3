import { z } from 'zod';
import { envelope, isoDate, isoInstant, money, regionCode } from '../../contract/common.js';

/**
 * 穿透查询: what the drill-down answers (the web imports these types through @contract/drilldown;
 * the quarterly report, 问数 and the phone home read the same figures through the service).
 */

/** A ratio as decimal.js writes it: 20 significant digits, possibly in exponent form (1e-8). */
const exactDecimal = z.string();
/** A count that may be negative (the 全辖 netting row takes vouchers off). */
const count = z.string().regex(/^-?\d+$/);

/** self = 本级: the region's own budget; all = 全辖: the region and every region under it. */
export const Scope = z.enum(['self', 'all']);
export type Scope = z.infer<typeof Scope>;

export const ProgressConvention = z.enum(['days', 'months']);
export type ProgressConvention = z.infer<typeof ProgressConvention>;

/** 时序进度 at the as-of date: elapsed days ÷ days in the year, or completed months ÷ 12. */
export const TimeProgress = z.strictObject({
  convention: ProgressConvention,
  elapsed: z.number().int(),
  total: z.number().int(),
  /** elapsed ÷ total, 20 significant digits. */
  rateExact: exactDecimal,
  /** Percent rounded half-up to 2 decimals, for display. */
  percent2dp: money,
});
export type TimeProgress = z.infer<typeof TimeProgress>;

export const Figures = z.strictObject({
  budget: money,
  paid: money,
  /** Paid against an indicator that exists in the region. */
  paidWithIndicator: money,
  /** 无指标支付: paid with an empty or unknown indicator_no. */
  paidWithoutIndicator: money,
  /** 未支付余额 = budget − paid. */
  unpaidBalance: money,
  voucherCount: count,
  /** paid ÷ budget, 20 significant digits; null when there is no budget. */
  executionRateExact: exactDecimal.nullable(),
  /** The same as a percent rounded half-up to 2 decimals, for display. */
  executionPercent2dp: money.nullable(),
  /** Time progress − execution, in percentage points rounded to 2 decimals (positive = behind). */
  behindProgressPoints2dp: money.nullable(),
});
export type Figures = z.infer<typeof Figures>;

export const ReconciliationRow = z.strictObject({
  key: z.enum(['budget', 'paid_with_indicator', 'paid_without_indicator', 'unpaid_balance', 'netted_budget', 'netted_paid']),
  label: z.string(),
  amount: money,
});
export type ReconciliationRow = z.infer<typeof ReconciliationRow>;

/** A transfer between two regions in scope (全辖). */
export const InternalTransfer = z.strictObject({
  transferNo: z.string(),
  payer: regionCode,
  receiver: regionCode,
  title: z.string(),
  amount: money,
  /** The payer's budget indicator the transfer became: what is netted. null: not netted. */
  indicatorNo: z.string().nullable(),
});
export type InternalTransfer = z.infer<typeof InternalTransfer>;

const namedRegion = z.strictObject({ code: regionCode, name: z.string() });

export const Netting = z.strictObject({
  /** Transfers between two regions in scope netted from the payer's figures. */
  netted: z.array(InternalTransfer),
  /** Transfers between regions in scope naming no indicator of the payer: listed, not netted. */
  unmatched: z.array(InternalTransfer),
  /** Regions in scope with data but no transfer_payments delivered: their 上级补助/补助下级 are not netted. */
  notDelivered: z.array(namedRegion),
  /** What the page and the report say about it; null in 本级. */
  statement: z.string().nullable(),
});
export type Netting = z.infer<typeof Netting>;

/** What a figure covers, said next to it: the scope, its label, whether anything was delivered, each region's as-of date and the netting. */
export const ScopeMeta = z.strictObject({
  scope: Scope,
  label: z.string(),
  /** False: 暂无数据：该地区尚未收到数据包 — no cards of zeros, no lag against today. */
  hasData: z.boolean(),
  /** The regions added up (全辖: those with data), each at its own as-of date with its own time progress. */
  regions: z.array(z.strictObject({ code: regionCode, name: z.string(), asOf: isoDate, timeProgressPercent2dp: money })),
  /** 全辖 whose regions' data run to different dates: 各地数据截至日期不同. */
  asOfDiffers: z.boolean(),
  /** 全辖 regions with no delivery at all (listed, counted as nothing). */
  regionsWithoutData: z.array(namedRegion),
  netting: Netting,
});
export type ScopeMeta = z.infer<typeof ScopeMeta>;

export const FundTypeFigures = Figures.extend({
  code: z.string(),
  name: z.string(),
  revenue: z.strictObject({ budget: money, actual: money, executionRateExact: exactDecimal.nullable(), executionPercent2dp: money.nullable() }),
});
export type FundTypeFigures = z.infer<typeof FundTypeFigures>;

export const Summary = z.strictObject({
  region: namedRegion,
  fiscalYear: z.number().int(),
  asOf: isoDate,
  timeProgress: TimeProgress,
  scope: ScopeMeta,
  /** The four budgets, always all four (zeros when nothing was delivered). */
  fundTypes: z.array(FundTypeFigures),
  total: Figures,
  reconciliation: z.array(ReconciliationRow),
  /** Paid per calendar month of the fiscal year and the running total. */
  monthly: z.array(z.strictObject({ month: z.string(), paid: money, cumulativePaid: money, budget: money })),
});
export type Summary = z.infer<typeof Summary>;

/** The indicator behind a row of the indicators level. */
export const IndicatorDetail = z.strictObject({
  indicatorNo: z.string(),
  docNo: z.string().nullable(),
  indicatorKind: z.string(),
  projectCode: z.string().nullable(),
  projectName: z.string().nullable(),
  issuedOn: isoDate,
  funcCode: z.string(),
  econCode: z.string().nullable(),
  agencyCode: z.string(),
  amount: money,
});
export type IndicatorDetail = z.infer<typeof IndicatorDetail>;

export const BreakdownRow = Figures.extend({
  /** null only for the explicit 无指标支付 row of the indicator level and the 全辖 netting row of the regions level. */
  code: z.string().nullable(),
  name: z.string(),
  kind: z.enum(['item', 'unmatched', 'netting']),
  /** Regions level: the scope of the row (全辖: a region under it in its own 全辖), its as-of date, whether it has data. */
  scope: Scope.optional(),
  asOf: isoDate.nullable().optional(),
  hasData: z.boolean().optional(),
  /**
   * Functions/economics: the row holds vouchers coded to this shorter code itself (a 类 with
   * no 款); drill into it with funcExact / econExact, since a prefix would include its 款.
   */
  exactCode: z.literal(true).optional(),
  /** Indicators level: the indicator itself (absent when the code is not in budget_indicators). */
  indicator: IndicatorDetail.optional(),
});
export type BreakdownRow = z.infer<typeof BreakdownRow>;

export const BreakdownLevel = z.enum(['regions', 'fund-types', 'departments', 'units', 'functions', 'economics', 'indicators']);
export type BreakdownLevel = z.infer<typeof BreakdownLevel>;

/** The path filters a level was computed under (as the query gave them). */
export const DrillFilters = z.strictObject({
  dept: z.string().optional(),
  unit: z.string().optional(),
  /** 类/款/项 prefix: 3, 5 or 7 digits. */
  func: z.string().optional(),
  /** 类/款 prefix: 3 or 5 digits. */
  econ: z.string().optional(),
  /** Match func / econ exactly instead of as a prefix: the rows coded to a 类 itself, not its 款. */
  funcExact: z.boolean().optional(),
  econExact: z.boolean().optional(),
  fundType: z.string().optional(),
  indicator: z.string().optional(),
});
export type DrillFilters = z.infer<typeof DrillFilters>;

export const Breakdown = z.strictObject({
  level: BreakdownLevel,
  fiscalYear: z.number().int(),
  asOf: isoDate,
  timeProgress: TimeProgress,
  filters: DrillFilters,
  /** Code length the rows are grouped by (functions 3/5/7, economics 3/5). */
  codeLength: z.number().int().optional(),
  rows: z.array(BreakdownRow),
  total: Figures,
  reconciliation: z.array(ReconciliationRow),
});
export type Breakdown = z.infer<typeof Breakdown>;

/** One payment voucher with its names; payeeAccount is masked for deputies and liaisons. */
export const VoucherRow = z.strictObject({
  regionCode,
  voucherNo: z.string(),
  fiscalYear: z.number().int(),
  payDate: isoDate,
  agencyCode: z.string(),
  agencyName: z.string().nullable(),
  deptCode: z.string(),
  deptName: z.string().nullable(),
  indicatorNo: z.string().nullable(),
  /** False: the indicator number is empty or unknown in the region (无指标支付). */
  indicatorKnown: z.boolean(),
  funcCode: z.string(),
  funcName: z.string().nullable(),
  econCode: z.string(),
  econName: z.string().nullable(),
  fundType: z.string(),
  projectCode: z.string().nullable(),
  payeeName: z.string(),
  payeeAccount: z.string().nullable(),
  payMethod: z.string().nullable(),
  purpose: z.string().nullable(),
  amount: money,
});
export type VoucherRow = z.infer<typeof VoucherRow>;

export const VoucherPageMeta = z.strictObject({
  asOf: isoDate,
  fiscalYear: z.number().int(),
  sort: z.enum(['date', 'amount']),
  order: z.enum(['asc', 'desc']),
  limit: z.number().int(),
  /** Opaque keyset cursor of the next page; null on the last. */
  nextCursor: z.string().nullable(),
  /** Count and sum of everything the filters select: on the first page only (later pages reuse it). */
  total: z.strictObject({ count: count, amount: money }).optional(),
});
export type VoucherPageMeta = z.infer<typeof VoucherPageMeta>;

/** The budget_indicators row a voucher names, with its own lineage (bundle and line). */
export const LineageIndicator = IndicatorDetail.extend({
  regionCode,
  fiscalYear: z.number().int(),
  deptCode: z.string(),
  fundType: z.string(),
  batchId: z.string(),
  sourceLine: z.number().int(),
});
export type LineageIndicator = z.infer<typeof LineageIndicator>;

/** One voucher with where it came from: its bundle, file and line, its indicator and any earlier versions. */
export const VoucherLineage = z.strictObject({
  voucher: VoucherRow,
  /** location is null for roles that do not see server paths. */
  batch: z.strictObject({
    id: z.string(),
    businessDate: isoDate,
    source: z.string(),
    location: z.string().nullable(),
    status: z.string(),
    committedAt: isoInstant.nullable(),
    etlRunId: z.string().nullable(),
  }),
  file: z.strictObject({ feed: z.string(), fileName: z.string(), encoding: z.string().nullable() }).nullable(),
  sourceLine: z.number().int(),
  indicator: LineageIndicator.nullable(),
  /** Earlier versions: 'replaced' by a later bundle's version, or 'removed' by a later full-state file. */
  superseded: z.array(
    z.strictObject({
      batchId: z.string(),
      supersededByBatchId: z.string(),
      supersededAt: isoInstant,
      change: z.enum(['replaced', 'removed']),
      /** The old version as it was stored: the feed's own (snake_case) columns, accounts masked as above. */
      row: z.record(z.string(), z.unknown()),
    }),
  ),
});
export type VoucherLineage = z.infer<typeof VoucherLineage>;

/** Responses by route, read by the OpenAPI document and by the response check in tests. */
export const drilldownResponses = {
  'GET /drill/summary': envelope(Summary),
  ...Object.fromEntries(BreakdownLevel.options.map((level) => [`GET /drill/${level}`, envelope(Breakdown)])),
  'GET /drill/vouchers': z.strictObject({ data: z.array(VoucherRow), meta: VoucherPageMeta }),
  'GET /drill/vouchers/:voucherNo': envelope(VoucherLineage),
};
