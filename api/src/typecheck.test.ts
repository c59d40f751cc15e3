import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from './config.js';

/**
 * The contract's type half: the server's handlers build their answers as the contract types
 * (api/src/features/<f>/contract.ts) and the web imports those same types, so a change on
 * either side that the other does not follow fails to compile — here, on every `npm test`.
 */
const run = promisify(execFile);
const compile = (bin: string, project: string) =>
  run(process.execPath, [path.join(ROOT_DIR, bin), '--noEmit', '-p', project], { cwd: ROOT_DIR, maxBuffer: 16 << 20 }).then(
    () => '',
    (err: { stdout?: string; message: string }) => err.stdout || err.message,
  );

describe('types', () => {
  it('the server, ETL, fixtures and benches compile (tsc)', async () => {
    expect(await compile('node_modules/typescript/bin/tsc', 'tsconfig.json')).toBe('');
  }, 180_000);

  it('the web compiles against the server contracts (vue-tsc)', async () => {
    expect(await compile('node_modules/vue-tsc/bin/vue-tsc.js', 'web/tsconfig.json')).toBe('');
  }, 180_000);
});
