import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runningEmbeddedUrl, sharedBuffersMb, stopLeftover } from './embedded-server.js';

/**
 * A postmaster.pid left by a killed cluster names a pid the system may since have given to
 * another process: `npm start` used to send that process SIGINT. Only a postgres process
 * running in this data folder is ours to stop.
 */
describe('a stale postmaster.pid', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  const dataDir = (pid: number) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-pgdata-'));
    fs.writeFileSync(path.join(dir, 'postmaster.pid'), `${pid}\n${dir}\n1764900000\n55432\n\n127.0.0.1\n`);
    return dir;
  };
  const start = (cmd: string, cwd?: string) => {
    const c = spawn('bash', ['-c', cmd], { cwd, stdio: 'ignore' });
    children.push(c);
    return c;
  };
  const alive = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

  it('does not signal a process that is not this folder’s postgres, nor report it as running', async () => {
    const other = start('exec sleep 30');
    await new Promise((r) => setTimeout(r, 200));
    const dir = dataDir(other.pid!);
    await stopLeftover(dir);
    await new Promise((r) => setTimeout(r, 300));
    expect(alive(other)).toBe(true);
    expect(runningEmbeddedUrl(dir)).toBeUndefined();
  });

  it('does not signal a postgres of another data folder', async () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-pgdata-other-'));
    const other = start('exec -a postgres sleep 30', elsewhere);
    await new Promise((r) => setTimeout(r, 200));
    await stopLeftover(dataDir(other.pid!));
    await new Promise((r) => setTimeout(r, 300));
    expect(alive(other)).toBe(true);
  });

  it('still stops a leftover postgres running in this folder', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-pgdata-own-'));
    const own = start('exec -a postgres sleep 30', dir);
    await new Promise((r) => setTimeout(r, 200));
    fs.writeFileSync(path.join(dir, 'postmaster.pid'), `${own.pid}\n${dir}\n1764900000\n55432\n`);
    expect(runningEmbeddedUrl(dir)).toBe('postgres://postgres:budget-watch@127.0.0.1:55432/postgres');
    await stopLeftover(dir);
    expect(alive(own)).toBe(false);
    expect(own.signalCode).toBe('SIGINT');
  });
});

describe('the embedded cluster\'s shared_buffers', () => {
  it('is an eighth of the machine\'s memory, from 128 MB to 1 GB', () => {
    const gb = 2 ** 30;
    expect(sharedBuffersMb(0.5 * gb)).toBe(128);
    expect(sharedBuffersMb(2 * gb)).toBe(256);
    expect(sharedBuffersMb(4 * gb)).toBe(512);
    expect(sharedBuffersMb(23 * gb)).toBe(1024);
  });
});
