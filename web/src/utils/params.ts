/** Rule parameters (nested JSON of decimal strings) as flat editable fields, and back. */
export type ParamLeaf = string | number | boolean | string[] | null;
export interface ParamField {
  path: string;
  kind: 'string' | 'number' | 'boolean' | 'list';
  value: string | boolean;
}

export function flattenParams(params: Record<string, unknown>, prefix = ''): ParamField[] {
  const out: ParamField[] = [];
  for (const [k, v] of Object.entries(params)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v)) out.push({ path, kind: 'list', value: v.join(',') });
    else if (v !== null && typeof v === 'object') out.push(...flattenParams(v as Record<string, unknown>, path));
    else if (typeof v === 'boolean') out.push({ path, kind: 'boolean', value: v });
    else if (typeof v === 'number') out.push({ path, kind: 'number', value: String(v) });
    else out.push({ path, kind: 'string', value: v === null ? '' : String(v) });
  }
  return out;
}

export function unflattenParams(fields: ParamField[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const f of fields) {
    const keys = f.path.split('.');
    let node = root;
    for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
    const last = keys[keys.length - 1];
    if (f.kind === 'list') node[last] = String(f.value).split(/[,，\s]+/).filter(Boolean);
    else if (f.kind === 'boolean') node[last] = Boolean(f.value);
    else if (f.kind === 'number') node[last] = Number(f.value);
    else node[last] = String(f.value).trim();
  }
  return root;
}

/** One line per leaf ("bands.yellow=10"), for showing thresholds and their changes. */
export function describeParams(params: Record<string, unknown> | null | undefined): string[] {
  if (!params) return [];
  return flattenParams(params).map((f) => `${f.path} = ${f.kind === 'boolean' ? (f.value ? '是' : '否') : f.value}`);
}
