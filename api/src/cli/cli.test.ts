import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../config.js';
import { openDatabaseForTool } from '../db/connection.js';
import { startEmbeddedServer, type EmbeddedServer } from '../db/embedded-server.js';

describe('command-line tools', () => {
  it('every npm script that runs a TypeScript file names one that exists', () => {
    const { scripts } = JSON.parse(fs.readFileSync(path.join(ROOT_DIR, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const targets = Object.entries(scripts).flatMap(([name, cmd]) => [...cmd.matchAll(/\btsx(?: --\S+)* (\S+\.ts)\b/g)].map((m) => [name, m[1]]));
    expect(targets.map(([name]) => name)).toEqual(expect.arrayContaining(['start', 'migrate', 'etl', 'report', 'fixtures', 'bench:etl']));
    expect(targets.filter(([, file]) => !fs.existsSync(path.join(ROOT_DIR, file)))).toEqual([]);
  });

  describe('with `npm start`\'s embedded server running on the data folder', () => {
    let dataDir: string;
    let server: EmbeddedServer;
    beforeAll(async () => {
      // Under .data like every embedded cluster: initdb runs as the postgres user, who cannot enter a 0700 mkdtemp folder.
      dataDir = path.join(ROOT_DIR, '.data/cli-test', String(process.pid), 'pg');
      server = await startEmbeddedServer({ dataDir, fast: true });
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
      fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
    });

    it('connect to it, and leave it running when they finish', async () => {
      const db = await openDatabaseForTool({ databaseUrl: undefined, dataDir, embeddedPort: 0 });
      expect(db.embedded).toBeUndefined();
      expect(new URL(db.url).port).toBe(String(server.port));
      expect((await db.knex.raw('select current_database() as d')).rows[0].d).toBe('budget_watch');
      await db.close();
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      expect((await client.query('select 1 as one')).rows[0].one).toBe(1);
      await client.end();
    });
  });
});
