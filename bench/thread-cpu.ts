import fs from 'node:fs';

/**
 * CPU seconds by thread of this process and of every PostgreSQL process on the machine, from
 * /proc (Linux only; elsewhere empty). On two cores a load whose threads together want more
 * than two cores is bound by their sum, not by its slowest thread: these figures say which.
 */
type Sample = Map<string, { name: string; cpu: number }>;

const TICKS = 100; // USER_HZ, 100 on every Linux architecture node runs on

/** utime+stime (and cutime+cstime, children reaped) of a /proc stat line, in seconds. */
function cpuOf(stat: string): { own: number; children: number } {
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { own: (Number(f[11]) + Number(f[12])) / TICKS, children: (Number(f[13]) + Number(f[14])) / TICKS };
}

const read = (file: string): string | null => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null; // the thread or process ended between the listing and the read
  }
};

function sample(): Sample {
  const out: Sample = new Map();
  if (!fs.existsSync('/proc/self/task')) return out;
  // Node names every thread "node": the main thread is the one whose id is the process's. A
  // thread that ended (the sheet worker) keeps counting in the process's total.
  const me = String(process.pid);
  let live = 0;
  for (const t of fs.readdirSync(`/proc/${me}/task`)) {
    const stat = read(`/proc/${me}/task/${t}/stat`);
    if (stat === null) continue;
    const { own } = cpuOf(stat);
    live += own;
    out.set(`${me}/${t}`, { name: t === me ? 'loader: main thread' : 'loader: other threads', cpu: own });
  }
  out.set(`${me}/ended`, { name: 'loader: other threads', cpu: cpuOf(read(`/proc/${me}/stat`)!).own - live });
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || read(`/proc/${pid}/comm`)?.trim() !== 'postgres') continue;
    const cmd = read(`/proc/${pid}/cmdline`) ?? '';
    const stat = read(`/proc/${pid}/stat`);
    if (stat === null) continue;
    const { own, children } = cpuOf(stat);
    // A backend's title is "postgres: user db host(port) COMMAND"; the postmaster's is its
    // command line, and it reaps the parallel workers (their CPU lands in its children's time).
    if (!cmd.startsWith('postgres:')) {
      out.set(`${pid}/children`, { name: 'PostgreSQL: ended processes (parallel workers)', cpu: children });
      out.set(pid, { name: 'PostgreSQL: background', cpu: own });
    } else {
      out.set(pid, { name: /\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\]/.test(cmd) ? 'PostgreSQL: backends' : /parallel worker/.test(cmd) ? 'PostgreSQL: parallel workers' : 'PostgreSQL: background', cpu: own });
    }
  }
  return out;
}

function delta(from: Sample, to: Sample): Map<string, number> {
  const by = new Map<string, number>();
  const add = (name: string, d: number) => by.set(name, (by.get(name) ?? 0) + d);
  for (const [k, v] of to) add(v.name, v.cpu - (from.get(k)?.cpu ?? 0));
  // A thread that ended meanwhile: its time moved to its process's ended total, counted above.
  for (const [k, v] of from) if (!to.has(k)) add(v.name, -v.cpu);
  return by;
}

/** Started before a load; `mark()` at a phase boundary, `stop()` after: CPU seconds per thread group and phase. */
export function threadCpu() {
  const marks: Sample[] = [sample()];
  return {
    mark: () => void marks.push(sample()),
    stop(): Map<string, number>[] {
      marks.push(sample());
      return marks.slice(1).map((m, i) => delta(marks[i], m));
    },
  };
}

/** One line per phase: "label: group 1.23 s, group 0.45 s, … (sum 3.21 s)". */
export function formatThreadCpu(labels: string[], phases: Map<string, number>[]): string[] {
  return phases.map((p, i) => {
    // Groups under 0.05 s are left out of the list, not of the sum.
    const sum = [...p.values()].reduce((n, s) => n + s, 0);
    const parts = [...p].filter(([, s]) => s >= 0.05).sort((a, b) => b[1] - a[1]);
    return `  CPU ${labels[i]}: ${parts.map(([g, s]) => `${g} ${s.toFixed(2)} s`).join(', ')} (sum ${sum.toFixed(2)} s)`;
  });
}
