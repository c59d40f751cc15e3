/**
 * The drill-down path lives in the URL: /drill/<region>/<key>/<code>/… with keys in the
 * order region → fund → dept → unit → func|econ → indicator → voucher. Filters (dates,
 * payee, amounts, sort, the view tab) are query parameters.
 */
export const PATH_KEYS = ['fund', 'dept', 'unit', 'func', 'econ', 'indicator', 'voucher'] as const;
export type PathKey = (typeof PATH_KEYS)[number];

export interface DrillPath {
  region: string;
  fund?: string;
  dept?: string;
  unit?: string;
  func?: string;
  econ?: string;
  indicator?: string;
  voucher?: string;
  /** Fiscal year filter (query ?fy=), not part of the URL path. */
  fy?: string;
  /** 全辖 (query ?scope=all): the region and every region under it; absent = 本级. */
  scope?: 'all';
  /** The func / econ code itself, not as a prefix (query ?funcExact=1): a 类 row with no 款. */
  funcExact?: boolean;
  econExact?: boolean;
}

/** Query parameters that belong to the path's meaning and travel with every link below it. */
export function stickyQuery(path: DrillPath): Record<string, string> {
  const q: Record<string, string> = {};
  if (path.fy) q.fy = path.fy;
  if (path.scope) q.scope = 'all';
  if (path.funcExact && path.func) q.funcExact = '1';
  if (path.econExact && path.econ) q.econExact = '1';
  return q;
}

/** Parse the repeatable `segs` param ("dept", "411100101", "unit", …) into a path object. */
export function parseSegments(region: string, segs: string[] | string | undefined): DrillPath {
  const list = Array.isArray(segs) ? segs : segs ? String(segs).split('/') : [];
  const path: DrillPath = { region };
  for (let i = 0; i + 1 < list.length; i += 2) {
    const key = list[i] as PathKey;
    if ((PATH_KEYS as readonly string[]).includes(key) && list[i + 1]) path[key] = list[i + 1];
  }
  return path;
}

/** The URL path of a drill path, keys in canonical order. */
export function drillHref(path: DrillPath): string {
  const parts = ['/drill', encodeURIComponent(path.region)];
  for (const key of PATH_KEYS) {
    const v = path[key];
    if (v) parts.push(key, encodeURIComponent(v));
  }
  return parts.join('/');
}

/**
 * A link given as a flat query (`/drill?region=…&dept=…&unit=…&func=…&indicator=…`, the form
 * alerts' drill_link uses) → canonical path + remaining filters.
 */
export function fromFlatQuery(query: Record<string, unknown>, fallbackRegion: string): { path: string; query: Record<string, string> } {
  const str = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? '') : v === undefined || v === null ? '' : String(v));
  const path: DrillPath = { region: str(query.region) || fallbackRegion };
  const rest: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    if (k === 'region') continue;
    if (k === 'fundType') path.fund = str(v);
    else if ((PATH_KEYS as readonly string[]).includes(k)) path[k as PathKey] = str(v);
    else if (k === 'year') rest.fy = str(v);
    else if (k === 'noIndicator') rest.unmatched = str(v) === '1' || str(v) === 'true' ? '1' : '0';
    else rest[k] = str(v);
  }
  // A date range or unmatched filter asks for the vouchers behind the alert.
  if ((rest.unmatched === '1' || rest.dateFrom || rest.dateTo) && !rest.view && !path.voucher) rest.view = 'vouchers';
  return { path: drillHref(path), query: rest };
}

/** API filters for a path (query parameters of /api/v1/drill/*). */
export function apiFilters(path: DrillPath): Record<string, string> {
  const f: Record<string, string> = { region: path.region };
  if (path.fund) f.fundType = path.fund;
  if (path.dept) f.dept = path.dept;
  if (path.unit) f.unit = path.unit;
  if (path.func) f.func = path.func;
  if (path.econ) f.econ = path.econ;
  if (path.indicator) f.indicator = path.indicator;
  if (path.fy) f.fy = path.fy;
  f.scope = path.scope ?? 'self';
  if (path.funcExact && path.func) f.funcExact = 'true';
  if (path.econExact && path.econ) f.econExact = 'true';
  return f;
}

export type DrillView = 'regions' | 'fund-types' | 'departments' | 'units' | 'functions' | 'economics' | 'indicators' | 'vouchers';

export const VIEW_LABEL: Record<DrillView, string> = {
  regions: '按地区',
  'fund-types': '按预算类型',
  departments: '按部门',
  units: '按单位',
  functions: '按功能分类',
  economics: '按经济分类',
  indicators: '按指标',
  vouchers: '支付凭证',
};

/** The views offered at a path (tabs), the first being the default "one level down". */
export function viewsFor(path: DrillPath): DrillView[] {
  // A voucher belongs to one region's 本级: 全辖 stops one level above the vouchers.
  if (path.scope) return viewsFor({ ...path, scope: undefined }).filter((v) => v !== 'vouchers');
  if (path.indicator) return ['vouchers'];
  if (path.func) return path.func.length >= 7 || path.funcExact ? ['indicators', 'economics', 'vouchers'] : ['functions', 'indicators', 'vouchers'];
  if (path.econ) return path.econ.length >= 5 || path.econExact ? ['indicators', 'vouchers'] : ['economics', 'indicators', 'vouchers'];
  if (path.unit) return ['functions', 'economics', 'indicators', 'vouchers'];
  if (path.dept) return ['units', 'functions', 'economics', 'indicators', 'vouchers'];
  if (path.fund) return ['departments', 'functions', 'economics', 'vouchers'];
  return ['departments', 'fund-types', 'functions', 'economics', 'regions', 'vouchers'];
}

/** The path one level down from a row of `view` with `code`. */
export function childPath(path: DrillPath, view: DrillView, code: string, exactCode = false): DrillPath {
  switch (view) {
    case 'regions':
      // A region under a 全辖 table opens in its own 全辖 (a county's is its 本级); the table's own row in 本级.
      return { region: code, ...(path.scope && code !== path.region ? { scope: 'all' as const } : {}), ...(path.fy ? { fy: path.fy } : {}) };
    case 'fund-types':
      return { ...path, fund: code };
    case 'departments':
      return { ...path, dept: code };
    case 'units':
      return { ...path, unit: code };
    case 'functions':
      return { ...path, func: code, funcExact: exactCode || undefined };
    case 'economics':
      return { ...path, econ: code, econExact: exactCode || undefined };
    case 'indicators':
      return { ...path, indicator: code };
    case 'vouchers':
      return { ...path, voucher: code };
  }
}

export const FUNC_LEVEL_LABEL: Record<number, string> = { 3: '类', 5: '款', 7: '项' };
