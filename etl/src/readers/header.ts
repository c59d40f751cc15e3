import type { FeedDef } from '../feeds/index.js';
import { FileError } from './table.js';

/** Header cell as compared: no BOM, no surrounding space, no required-marker '*', case-folded. */
function norm(h: string): string {
  return h.replace(/^\uFEFF/, '').replace(/[*＊]/g, '').replace(/\s+/g, '').toLowerCase();
}

/**
 * Map a file's header onto the feed's columns by English key or any Chinese name. Returns,
 * per feed column, the index of its cell (-1 = absent). Unknown columns are ignored; a
 * missing required column or a column given twice rejects the file, naming it.
 */
export function mapHeader(feed: FeedDef, header: string[], file: string): number[] {
  const byName = new Map<string, number>();
  feed.columns.forEach((c, i) => {
    byName.set(norm(c.key), i);
    for (const zh of c.zh) byName.set(norm(zh), i);
  });
  const mapping = feed.columns.map(() => -1);
  header.forEach((h, cellIndex) => {
    const col = byName.get(norm(h));
    if (col === undefined) return;
    if (mapping[col] >= 0) {
      throw new FileError('DUPLICATE_COLUMN', file, `表头重复：第 ${mapping[col] + 1} 列与第 ${cellIndex + 1} 列都是 ${feed.columns[col].key}（${feed.columns[col].zh[0]}）`);
    }
    mapping[col] = cellIndex;
  });
  const missing = feed.columns.filter((c, i) => c.required && mapping[i] < 0);
  if (missing.length) {
    throw new FileError('MISSING_COLUMN', file, `缺少必填列：${missing.map((c) => `${c.key}（${c.zh[0]}）`).join('、')}`);
  }
  return mapping;
}
