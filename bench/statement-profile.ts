import type { Knex } from 'knex';

/**
 * Where a piece of database work spends its time, for a bench to print: each statement's wall
 * time summed by its verb and table (knex's query events, its transactions' included).
 */
export interface StatementProfile {
  stop: () => string[];
}

const label = (sql: string): string => {
  const m = /^\s*(delete from|insert into|update)\s+(\w+)/i.exec(sql) ?? /^\s*(select)\b[^]*?\bfrom\s+(\w+)/i.exec(sql);
  return m ? `${m[1]!.toLowerCase().split(' ')[0]} ${m[2]}` : sql.trim().slice(0, 40);
};

export function profileStatements(knex: Knex): StatementProfile {
  const started = new Map<string, { at: number; label: string }>();
  const spent = new Map<string, { ms: number; n: number }>();
  const onQuery = (q: { __knexQueryUid: string; sql: string }) => started.set(q.__knexQueryUid, { at: performance.now(), label: label(q.sql) });
  const onDone = (_r: unknown, q: { __knexQueryUid: string }) => {
    const s = started.get(q.__knexQueryUid);
    if (!s) return;
    started.delete(q.__knexQueryUid);
    const e = spent.get(s.label) ?? { ms: 0, n: 0 };
    e.ms += performance.now() - s.at;
    e.n += 1;
    spent.set(s.label, e);
  };
  knex.on('query', onQuery).on('query-response', onDone).on('query-error', onDone);
  return {
    stop: () => {
      knex.removeListener('query', onQuery).removeListener('query-response', onDone).removeListener('query-error', onDone);
      const lines = [...spent].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)
        .map(([l, e]) => `    ${(e.ms / 1000).toFixed(2).padStart(7)} s  ${String(e.n).padStart(5)}×  ${l}`);
      return ['  its statements (wall time summed over the parallel connections):', ...lines];
    },
  };
}
