/**
 * bench/replay: issue 13's attack-and-fault run in one command, with its three goals printed.
 *
 *   npx tsx bench/replay.ts [--vouchers N]     (N per region for the faults' base load)
 *
 * Attacks: the security suite (api/src/security/*.test.ts) holds one case per attack, named
 * "attack: …", each driving the real app on a real database and asserting the attack is
 * refused; the replay runs that suite and counts an attack as got through when its case fails.
 * Faults: bench/faults.ts (a load and 14 injected faults), whose rows-lost and stale-regions
 * totals are read from its summary line. Goal: 0 got through, 0 rows lost, 0 stale regions.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT_DIR } from '../api/src/config.js';
import { arg } from './args.js';


/** Runs a child with its output passed through; resolves with the output and exit code. */
function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT_DIR, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      process.stdout.write(c);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

interface VitestJson {
  testResults: { name: string; assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

async function attacks(): Promise<{ tried: number; through: string[] }> {
  const report = path.join(os.tmpdir(), `bw-replay-${process.pid}.json`);
  console.log('== attacks: the security suite (api/src/security)');
  const vitest = path.join(ROOT_DIR, 'node_modules/vitest/vitest.mjs');
  await run(process.execPath, [vitest, 'run', 'api/src/security', '--reporter=dot', '--reporter=json', `--outputFile.json=${report}`]);
  if (!fs.existsSync(report)) throw new Error('the security suite wrote no report');
  const json = JSON.parse(fs.readFileSync(report, 'utf8')) as VitestJson;
  fs.rmSync(report, { force: true });
  const cases = json.testResults.flatMap((f) => f.assertionResults.filter((a) => a.title.startsWith('attack:')).map((a) => ({ ...a, file: path.relative(ROOT_DIR, f.name) })));
  for (const c of cases) console.log(`${c.status === 'passed' ? 'refused ' : 'GOT THROUGH'} | ${c.title.slice('attack:'.length).trim()} (${c.file})`);
  return { tried: cases.length, through: cases.filter((c) => c.status !== 'passed').map((c) => c.title) };
}

async function faults(): Promise<{ injected: number; lost: number; stale: number }> {
  console.log('\n== faults: bench/faults.ts');
  const tsx = path.join(ROOT_DIR, 'node_modules/tsx/dist/cli.mjs');
  const { out } = await run(process.execPath, [tsx, 'bench/faults.ts', '--vouchers', arg('vouchers', '5000')]);
  const m = out.match(/faults injected: (\d+); handled as expected: (\d+); rows lost: (\d+); stale regions: (\d+)/);
  if (!m) throw new Error('bench/faults.ts printed no summary line');
  return { injected: Number(m[1]), lost: Number(m[3]), stale: Number(m[4]) };
}

const a = await attacks();
const f = await faults();
console.log(`\nattacks tried: ${a.tried}; got through: ${a.through.length}`);
console.log(`faults injected: ${f.injected}; rows lost: ${f.lost}; stale regions: ${f.stale}`);
process.exitCode = a.tried === 0 || a.through.length || f.lost || f.stale ? 1 : 0;
