import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FEEDS_BY_NAME, type FeedDef } from '../feeds/index.js';
import { BUSINESS_DATE, isCalendarDate, REGION_CODE } from '../dates.js';
import { BundleRejected } from './errors.js';
import { parseManifest, type Manifest } from './manifest.js';

export interface BundleFile {
  feed: FeedDef;
  fileName: string;
  path: string;
  kind: 'csv' | 'xlsx';
}

export interface BundleListing {
  dir: string;
  regionCode: string;
  businessDate: string;
  files: BundleFile[];
  manifest: Manifest | undefined;
  /** Files present but not part of the interface (ignored, reported). */
  ignored: string[];
  /** sha-256 over every file's name and bytes: a repeated delivery is recognised by it. */
  contentHash: string;
}

/** `<inbox>/<region>/<date>`: region and date from the folder names unless given. */
export function bundleIdentity(dir: string, given: { regionCode?: string; businessDate?: string } = {}) {
  const abs = path.resolve(dir);
  const businessDate = given.businessDate ?? path.basename(abs);
  const regionCode = given.regionCode ?? path.basename(path.dirname(abs));
  return { regionCode, businessDate };
}

async function hashFiles(files: string[]): Promise<string> {
  const h = createHash('sha256');
  for (const f of [...files].sort()) {
    h.update(path.basename(f));
    h.update('\0');
    for await (const chunk of fs.createReadStream(f)) h.update(chunk as Buffer);
    h.update('\0');
  }
  return h.digest('hex');
}

const within = (root: string, p: string) => p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/**
 * The bundle's regular files. A symlink is followed only when its target lies inside `root`
 * (the inbox; default the bundle folder): a feed file linked to /etc/passwd or to another
 * system's export rejects the bundle, and so does a dangling one (a file the sender meant to
 * deliver is missing).
 */
function bundleFileNames(dir: string, root: string): string[] {
  let realRoot: string;
  let entries: fs.Dirent[];
  try {
    realRoot = fs.realpathSync(root);
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new BundleRejected('FOLDER_UNREADABLE', `无法读取目录 ${dir}：${(err as Error).message}`);
  }
  const names: string[] = [];
  for (const e of entries) {
    if (e.isSymbolicLink()) {
      let real: string;
      try {
        real = fs.realpathSync(path.join(dir, e.name));
      } catch {
        throw new BundleRejected('LINK_BROKEN', `${e.name} 是指向不存在位置的符号链接`, e.name);
      }
      if (!within(realRoot, real)) throw new BundleRejected('LINK_OUTSIDE_INBOX', `${e.name} 是指向收件目录之外（${real}）的符号链接，不予读取`, e.name);
      if (fs.statSync(real).isFile()) names.push(e.name);
    } else if (e.isFile()) {
      names.push(e.name);
    }
  }
  return names;
}

/** List and check a bundle folder before anything is loaded. */
export async function listBundle(dir: string, given: { regionCode?: string; businessDate?: string; inboxRoot?: string } = {}): Promise<BundleListing> {
  const { regionCode, businessDate } = bundleIdentity(dir, given);
  if (!REGION_CODE.test(regionCode)) throw new BundleRejected('BAD_REGION_CODE', `地区代码不是 6 位数字：${regionCode}`);
  if (!BUSINESS_DATE.test(businessDate)) throw new BundleRejected('BAD_BUSINESS_DATE', `业务日期不是 YYYY-MM-DD：${businessDate}`);
  if (!isCalendarDate(businessDate)) throw new BundleRejected('BAD_BUSINESS_DATE', `业务日期不是真实的日期：${businessDate}`);
  const names = bundleFileNames(dir, given.inboxRoot ?? dir);
  const files: BundleFile[] = [];
  const ignored: string[] = [];
  let manifest: Manifest | undefined;
  for (const name of names.sort()) {
    if (name === '_manifest.json') {
      manifest = parseManifest(fs.readFileSync(path.join(dir, name), 'utf8'));
      continue;
    }
    const m = /^([a-z_]+)\.(csv|xlsx)$/i.exec(name);
    const feed = m ? FEEDS_BY_NAME.get(m[1].toLowerCase()) : undefined;
    if (!m || !feed) {
      ignored.push(name);
      continue;
    }
    if (files.some((f) => f.feed === feed)) throw new BundleRejected('DUPLICATE_FEED_FILE', `同一数据集有多个文件：${files.find((f) => f.feed === feed)!.fileName} 和 ${name}`, name);
    files.push({ feed, fileName: name, path: path.join(dir, name), kind: m[2].toLowerCase() as 'csv' | 'xlsx' });
  }
  files.sort((a, b) => a.feed.order - b.feed.order);
  if (manifest) {
    for (const feed of Object.keys(manifest.feeds)) {
      if (!FEEDS_BY_NAME.has(feed)) throw new BundleRejected('MANIFEST_UNKNOWN_FEED', `_manifest.json 列出了未知的数据集：${feed}`, '_manifest.json');
      if (!files.some((f) => f.feed.name === feed)) throw new BundleRejected('MANIFEST_FILE_MISSING', `_manifest.json 列出的 ${feed} 文件缺失`, '_manifest.json');
    }
  }
  if (files.length === 0) throw new BundleRejected('NO_DATA_FILES', '目录中没有可识别的数据文件（<数据集>.csv 或 .xlsx）');
  const hashed = [...files.map((f) => f.path), ...(manifest ? [path.join(dir, '_manifest.json')] : [])];
  return { dir, regionCode, businessDate, files, manifest, ignored, contentHash: await hashFiles(hashed) };
}
