/**
 * Distributed mode without Docker: intake, allocation, checklist, escalation and query each run as
 * their own process (`npm run start:<service>`) on one PostgreSQL, the store being the log between
 * them. Then the fault test: allocation and checklist are killed with SIGKILL in the middle of a
 * stream, restarted, and every fact ends with exactly one proposal and one checklist — none lost,
 * none duplicated.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { bearer, testAuthEnv } from '@cto/testing';

jest.setTimeout(180000);

const root = resolve(__dirname, '../..');
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl && process.env.CI) throw new Error('DATABASE_URL is required in CI: the distributed tests must run there');

if (!databaseUrl) {
  describe('services as processes', () => {
    it('needs DATABASE_URL (run `npm test`, which finds or starts PostgreSQL)', () => {
      throw new Error('DATABASE_URL is not set, so the distributed tests cannot run');
    });
  });
} else {
  describeProcesses(databaseUrl);
}

function describeProcesses(databaseUrl: string): void {
  describe('services as processes', () => {
    const schema = `cto_proc_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const running = new Map<string, { child: ChildProcess; url: string }>();

    async function start(service: 'intake' | 'allocation' | 'checklist' | 'escalation' | 'query', extra: Record<string, string> = {}): Promise<string> {
      // One key for every process, as in a deployment: a token any of them verifies.
      const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, LOG_LEVEL: 'warn', POLL_INTERVAL_MS: '50', NODE_OPTIONS: '', ...testAuthEnv(), ...extra };
      delete env.KAFKA_BROKERS;
      const child = spawn('npm', ['run', '--silent', `start:${service}`], { cwd: root, env, detached: true });
      let output = '';
      child.stdout!.on('data', (b: Buffer) => (output += b));
      child.stderr!.on('data', (b: Buffer) => (output += b));
      const url = await new Promise<string>((resolveUrl, reject) => {
        const timer = setTimeout(() => reject(new Error(`${service} did not start within 60 s:\n${output}`)), 60000);
        child.stdout!.on('data', () => {
          const m = /listening on (http:\/\/\S+)/.exec(output);
          if (m) {
            clearTimeout(timer);
            resolveUrl(m[1]);
          }
        });
        child.on('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`${service} exited with ${code}:\n${output}`));
        });
      });
      running.set(service, { child, url });
      return url;
    }

    async function kill(service: string, signal: NodeJS.Signals): Promise<void> {
      const p = running.get(service);
      if (!p) return;
      const exited = new Promise((r) => p.child.once('exit', r));
      process.kill(-p.child.pid!, signal);
      await exited;
      running.delete(service);
    }

    afterAll(async () => {
      for (const service of [...running.keys()]) await kill(service, 'SIGTERM');
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    });

    const icpc = (childId: string) => [
      { eventId: `${childId}-a`, type: 'WorkerAllocated', authority: 'demo', childId, occurredAt: '2026-04-01T09:00:00+01:00', source: 'lcs', data: { team: 'A&I', workerId: 'W-1' } },
      { eventId: `${childId}-b`, type: 'ICPCHeld', authority: 'demo', childId, occurredAt: '2026-05-01T10:00:00+01:00', source: 'lcs', data: { outcome: 'cp-plan' } },
    ];
    const integration = bearer({ roles: ['integration'], authorities: ['demo'] });
    const reader = bearer({ roles: ['reader'], authorities: ['demo'] });
    const post = (url: string, body: unknown) =>
      fetch(`${url}/v1/case-events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: integration }, body: JSON.stringify(body) });

    async function decisionsPerChild(type: string): Promise<Map<string, number>> {
      const client = new Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
      await client.connect();
      try {
        const { rows } = await client.query("SELECT metadata->>'childId' AS child, count(*)::int AS n FROM events WHERE type = $1 GROUP BY 1", [type]);
        return new Map(rows.map((r: { child: string; n: number }) => [r.child, r.n]));
      } finally {
        await client.end();
      }
    }

    it('refuses to start a service without DATABASE_URL, saying why', async () => {
      await expect(start('allocation', { DATABASE_URL: '', DATABASE_SCHEMA: '' })).rejects.toThrow(/DATABASE_URL is required/);
    });

    it('decides across processes, and a SIGKILLed allocation loses and duplicates nothing', async () => {
      const intake = await start('intake');
      await start('allocation');
      await start('checklist');
      await start('escalation');
      const query = await start('query');

      expect((await post(intake, icpc('C-P-0'))).status).toBe(202);
      for (let i = 0; i < 100; i++) {
        const body = (await (await fetch(`${query}/v1/children/C-P-0/transfers?authority=demo`, { headers: { authorization: reader } })).json()) as { transfers?: { toTeam: string; dueBy: string }[] };
        if (body.transfers?.length) {
          expect(body.transfers[0]).toMatchObject({ toTeam: 'FSP', dueBy: '2026-05-18' });
          break;
        }
        if (i === 99) throw new Error('no transfer across processes');
        await new Promise((r) => setTimeout(r, 100));
      }

      // A stream of 60 children; allocation is killed in the middle of it and started again.
      const children = Array.from({ length: 60 }, (_, i) => `C-P-${i + 1}`);
      const posting = (async () => {
        for (const childId of children) expect((await post(intake, icpc(childId))).status).toBe(202);
      })();
      await new Promise((r) => setTimeout(r, 300));
      await kill('allocation', 'SIGKILL');
      await kill('checklist', 'SIGKILL');
      await posting;
      await start('allocation');
      await start('checklist');

      for (const type of ['TransferProposed', 'ChecklistOpened']) {
        const deadline = Date.now() + 60000;
        let counts = await decisionsPerChild(type);
        while (children.some((c) => !counts.get(c)) && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 200));
          counts = await decisionsPerChild(type);
        }
        await new Promise((r) => setTimeout(r, 500));
        counts = await decisionsPerChild(type);
        const wrong = ['C-P-0', ...children].filter((c) => counts.get(c) !== 1).map((c) => `${c}: ${counts.get(c) ?? 0} ${type}`);
        expect(wrong).toEqual([]);
      }
    });
  });
}
