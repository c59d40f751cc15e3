import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from './config.js';

/**
 * The layers' one direction (.dependency-cruiser.cjs, docs/ARCHITECTURE.md "Layers"), checked
 * with dependency-cruiser on the whole tree; and each rule shown to fail on a planted import.
 */
const run = promisify(execFile);
const BIN = path.join(ROOT_DIR, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

async function cruise(paths: string[]): Promise<Violation[]> {
  const args = [BIN, '--config', '.dependency-cruiser.cjs', '--output-type', 'json', ...paths];
  // Exit code 1+ when there are violations: the JSON report is on stdout either way.
  const out = await run(process.execPath, args, { cwd: ROOT_DIR, maxBuffer: 64 << 20 }).catch((err: { stdout?: string }) => {
    if (!err.stdout) throw err;
    return { stdout: err.stdout };
  });
  return (JSON.parse(out.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('layers', () => {
  it('the tree has no forbidden import', async () => {
    const violations = await cruise(['api', 'etl', 'migrations', 'fixtures', 'web/src']);
    expect(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  });

  it('each rule fails on a planted violation', async () => {
    const tag = `layers-planted-${process.pid}`;
    // Each planted file imports what its layer may not; none is a test, a migration the migrator
    // would pick up (a 14-digit name), or imported by anything.
    const planted: [file: string, source: string, rule: string, to: string][] = [
      [`etl/src/${tag}.ts`, "export { refreshAggregates } from '../../api/src/features/drilldown/aggregates.js';", 'etl-uses-api-core-only', 'api/src/features/drilldown/aggregates.ts'],
      [`api/src/${tag}.ts`, "export { loadInbox } from '../../etl/src/load/inbox.js';", 'api-uses-etl-index-only', 'etl/src/load/inbox.ts'],
      [`migrations/${tag}.ts`, "export { isPartitioned } from '../etl/src/load/region-partition.js';", 'migrations-use-lib-only', 'etl/src/load/region-partition.ts'],
      [`fixtures/src/${tag}.ts`, "export { today } from '../../api/src/clock.js';", 'fixtures-use-entries-only', 'api/src/clock.ts'],
      [`web/src/${tag}.ts`, "export type { Config } from '../../api/src/core.js';", 'web-app-uses-no-server-code', 'api/src/core.ts'],
      [`web/src/${tag}-value.ts`, "export { Opinion } from '@contract/opinions';", 'web-imports-contract-types-only', 'api/src/features/opinions/contract.ts'],
      [`api/src/features/${tag}/contract.ts`, "export { today } from '../../clock.js';", 'contracts-import-zod-and-common-only', 'api/src/clock.ts'],
    ];
    try {
      fs.mkdirSync(path.join(ROOT_DIR, `api/src/features/${tag}`));
      for (const [file, source] of planted) fs.writeFileSync(path.join(ROOT_DIR, file), `${source}\n`);
      const violations = await cruise(planted.map(([file]) => file));
      for (const [file, , rule, to] of planted) {
        expect(violations.filter((v) => v.from === file).map((v) => `${v.rule.name} → ${v.to}`)).toContain(`${rule} → ${to}`);
      }
      // A type-only import of a contract is what the web may do.
      fs.writeFileSync(path.join(ROOT_DIR, `web/src/${tag}.ts`), "export type { Opinion } from '@contract/opinions';\n");
      expect(await cruise([`web/src/${tag}.ts`])).toEqual([]);
    } finally {
      for (const [file] of planted) fs.rmSync(path.join(ROOT_DIR, file), { force: true });
      fs.rmSync(path.join(ROOT_DIR, `api/src/features/${tag}`), { recursive: true, force: true });
    }
  });
});
