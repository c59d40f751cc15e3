import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../api/src/config.js';
import { BUNDLE_CODES, QUARANTINE_CODES, SKIP_CODES } from './codes.js';

/** The README's tables of codes, in order: bundle, quarantine, skipped. */
function readmeTables(): Record<string, string>[] {
  const text = fs.readFileSync(path.join(ROOT_DIR, 'etl/README.md'), 'utf8');
  const section = text.split('## Reason codes')[1].split('\n## ')[0];
  return section.split(/\n\n(?=\| code \|)/).slice(1).map((t) =>
    Object.fromEntries([...t.matchAll(/^\| `([A-Z_]+)` \| (.+) \|$/gm)].map((m) => [m[1], m[2]])),
  );
}

describe('reason codes', () => {
  it('are documented in etl/README.md exactly as listed in codes.ts', () => {
    expect(readmeTables()).toEqual([BUNDLE_CODES, QUARANTINE_CODES, SKIP_CODES]);
  });

  it('are UPPER_SNAKE, and a skipped entry shares a bundle code only where it means the same', () => {
    for (const codes of [BUNDLE_CODES, QUARANTINE_CODES, SKIP_CODES]) {
      for (const [code, text] of Object.entries(codes)) {
        expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
        expect(text).toMatch(/\p{Script=Han}/u);
      }
    }
    for (const [code, text] of Object.entries(SKIP_CODES)) {
      if (code in BUNDLE_CODES) expect(text).toBe(BUNDLE_CODES[code as keyof typeof BUNDLE_CODES]);
    }
  });
});
