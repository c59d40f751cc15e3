import { BundleRejected } from './errors.js';

export interface ManifestEntry {
  rows?: number;
  /** Exact decimal string (never parsed into a JS number). */
  amount_sum?: string;
}
export interface Manifest {
  feeds: Record<string, ManifestEntry>;
}

/**
 * Parse _manifest.json. amount_sum may be written as a JSON number; it is quoted before
 * JSON.parse so its digits are kept exactly.
 */
export function parseManifest(text: string): Manifest {
  const quoted = text.replace(/^\uFEFF/, '').replace(/("amount_sum"\s*:\s*)(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g, '$1"$2"');
  let raw: unknown;
  try {
    raw = JSON.parse(quoted);
  } catch (err) {
    throw new BundleRejected('MANIFEST_INVALID', `_manifest.json 不是合法的 JSON：${(err as Error).message}`, '_manifest.json');
  }
  const feeds = (raw as { feeds?: unknown })?.feeds;
  if (!feeds || typeof feeds !== 'object' || Array.isArray(feeds)) {
    throw new BundleRejected('MANIFEST_INVALID', '_manifest.json 缺少 feeds 对象', '_manifest.json');
  }
  const out: Manifest = { feeds: {} };
  for (const [feed, entry] of Object.entries(feeds as Record<string, unknown>)) {
    const e = entry as { rows?: unknown; amount_sum?: unknown };
    if (!e || typeof e !== 'object') throw new BundleRejected('MANIFEST_INVALID', `_manifest.json 中 ${feed} 的内容不是对象`, '_manifest.json');
    if (e.rows !== undefined && !(typeof e.rows === 'number' && Number.isInteger(e.rows) && e.rows >= 0)) {
      throw new BundleRejected('MANIFEST_INVALID', `_manifest.json 中 ${feed}.rows 不是非负整数`, '_manifest.json');
    }
    if (e.amount_sum !== undefined && !(typeof e.amount_sum === 'string' && /^-?\d+(\.\d{1,2})?$/.test(e.amount_sum.replace(/,/g, '')))) {
      throw new BundleRejected('MANIFEST_INVALID', `_manifest.json 中 ${feed}.amount_sum 不是金额：${String(e.amount_sum)}`, '_manifest.json');
    }
    out.feeds[feed] = {
      rows: e.rows as number | undefined,
      amount_sum: typeof e.amount_sum === 'string' ? e.amount_sum.replace(/,/g, '') : undefined,
    };
  }
  return out;
}
