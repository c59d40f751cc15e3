import fs from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import { ROOT_DIR } from './config.js';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Build the web app when web/dist is missing or older than its sources; true when it built. */
export async function buildWebIfStale(distDir: string, log: (m: string) => void): Promise<boolean> {
  const index = path.join(distDir, 'index.html');
  const webDir = path.join(ROOT_DIR, 'web');
  const sources = Math.max(newestMtime(path.join(webDir, 'src')), fs.statSync(path.join(webDir, 'index.html')).mtimeMs);
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources) return false;
  log('构建前端（首次启动或源码有变化）…');
  await build({ configFile: path.join(webDir, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}
