import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The CJK font the chart renderer draws with. resvg reads TTF/OTF only (not woff2) and a
 * fresh machine has no CJK system font, so it ships in an npm package: Noto Sans SC.
 */
export const CHART_FONT_FAMILY = 'Noto Sans SC';

const require = createRequire(import.meta.url);
let cached: string[] | undefined;

export function chartFontFiles(): string[] {
  if (cached) return cached;
  const dir = path.dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json'));
  // One weight only: resvg parses every font file on every render (10 MB each), and the
  // charts read well in the regular weight.
  const files = [path.join(dir, '400Regular', 'NotoSansSC_400Regular.ttf')];
  for (const f of files) {
    if (!fs.existsSync(f)) throw new Error(`图表字体缺失：${f}（请运行 npm install）`);
  }
  cached = files;
  return files;
}
