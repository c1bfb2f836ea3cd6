/**
 * Distributed mode without Docker: intake, allocation, checklist, escalation and query each run as
 * their own process (`npm run start:<service>`) on one PostgreSQL and a real Kafka broker, under a
 * topic prefix of this run (KAFKA_TOPIC_PREFIX), as a deployment does. Then the faults:
 * - allocation and checklist killed with SIGKILL in the middle of a stream and restarted;
 * - scale-out: two instances each of allocation and checklist in one group, on topics of three
 *   partitions; both get partitions (each records decisions), one of each is killed with SIGKILL
 *   mid-stream, the survivors take its partitions over;
 * - intake killed with SIGKILL while it records the case-events feed and relays it, and restarted;
 * and every child ends with exactly the decisions an undisturbed child got, once in the store and
 * once on transfer-events — none lost, none duplicated. (Where the outbox relay itself was killed,
 * a decision may be published again under its one id, which consumers deduplicate by.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { KafkaBus, TOPICS, type ReceivedMessage } from '@cto/messaging';
import { NamespacedBus } from '@cto/runtime';
import { bearer, testAuthEnv } from '@cto/testing';

jest.setTimeout(180000);

const root = resolve(__dirname, '../..');
const databaseUrl = process.env.DATABASE_URL;
const kafkaBrokers = process.env.KAFKA_BROKERS;
if ((!databaseUrl || !kafkaBrokers) && process.env.CI) throw new Error('DATABASE_URL and KAFKA_BROKERS are required in CI: the distributed tests must run there');

if (!databaseUrl || !kafkaBrokers) {
  describe('services as processes', () => {
    it('needs DATABASE_URL and KAFKA_BROKERS (run `npm test`, which finds or starts PostgreSQL and a Kafka broker)', () => {
      throw new Error(`${[!databaseUrl && 'DATABASE_URL', !kafkaBrokers && 'KAFKA_BROKERS'].filter(Boolean).join(' and ')} not set, so the distributed tests cannot run`);
    });
  });
} else {
  describeProcesses(databaseUrl, kafkaBrokers);
}

type Service = 'intake' | 'allocation' | 'checklist' | 'escalation' | 'query';

function describeProcesses(databaseUrl: string, kafkaBrokers: string): void {
  describe('services as processes', () => {
    const run = randomUUID().replace(/-/g, '').slice(0, 10);
    const schema = `cto_proc_${run}`;
    const topicPrefix = `cto-proc-${run}.`;
    const running = new Map<string, { child: ChildProcess; url: string; output: () => string }>();

    /** Starts `npm run start:<service>`; `name` tells two instances of one service apart. */
    async function start(service: Service, extra: Record<string, string> = {}, name: string = service): Promise<string> {
      // One key for every process, as in a deployment: a token any of them verifies.
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PORT: '0',
        DATABASE_URL: databaseUrl,
        DATABASE_SCHEMA: schema,
        KAFKA_BROKERS: kafkaBrokers,
        KAFKA_TOPIC_PREFIX: topicPrefix,
        LOG_LEVEL: 'warn',
        POLL_INTERVAL_MS: '50',
        NODE_OPTIONS: '',
        ...testAuthEnv(),
        ...extra,
      };
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
      running.set(name, { child, url, output: () => output });
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

    /** Each child's stored events of `type` (a fact or a decision), counted. */
    async function storedPerChild(type: string): Promise<Map<string, number>> {
      const client = new Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
      await client.connect();
      try {
        const { rows } = await client.query("SELECT metadata->>'childId' AS child, count(*)::int AS n FROM events WHERE type = $1 GROUP BY 1", [type]);
        return new Map(rows.map((r: { child: string; n: number }) => [r.child, r.n]));
      } finally {
        await client.end();
      }
    }

    it('refuses to start a service without DATABASE_URL or KAFKA_BROKERS, saying why', async () => {
      await expect(start('allocation', { DATABASE_URL: '', DATABASE_SCHEMA: '' })).rejects.toThrow(/DATABASE_URL is required/);
      await expect(start('checklist', { KAFKA_BROKERS: '', KAFKA_TOPIC_PREFIX: '' })).rejects.toThrow(/KAFKA_BROKERS is required/);
    });

    /** transfer-events of this run, as a notification service would read it. */
    const published: ReceivedMessage[] = [];
    const watcher = new NamespacedBus(new KafkaBus({ brokers: kafkaBrokers.split(','), clientId: `watch-${run}`, logLevel: 'error' }), topicPrefix);
    beforeAll(async () => {
      await watcher.subscribe({ topic: TOPICS.transferEvents, groupId: `watch-${run}`, fromBeginning: true, handler: async (m) => void published.push(m) });
    });
    afterAll(() => watcher.close());

    /** Each child's decisions of `type` on transfer-events: distinct event ids, and copies of each. */
    function publishedPerChild(type: string): Map<string, { ids: Set<string>; copies: number }> {
      const per = new Map<string, { ids: Set<string>; copies: number }>();
      for (const m of published.filter((p) => p.headers.ce_type === type)) {
        const child = (m.value as { childId: string }).childId;
        const entry = per.get(child) ?? { ids: new Set<string>(), copies: 0 };
        entry.ids.add(m.headers.ce_id);
        entry.copies++;
        per.set(child, entry);
      }
      return per;
    }

    const CHECKED = ['TransferProposed', 'ChecklistOpened'];

    /** What an undisturbed child got: the in-order run every other child is counted against. */
    async function inOrderRun(childId: string, intake: string): Promise<Map<string, number>> {
      expect((await post(intake, icpc(childId))).status).toBe(202);
      const expected = new Map<string, number>();
      for (const type of CHECKED) {
        const deadline = Date.now() + 60000;
        while (!(await storedPerChild(type)).get(childId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        expected.set(type, (await storedPerChild(type)).get(childId) ?? 0);
      }
      expect([...expected.values()].every((n) => n >= 1)).toBe(true);
      return expected;
    }

    /**
     * Waits for every child's decisions, then checks each was recorded and published exactly as in
     * the in-order run. `republished`: the outbox relay itself was killed, so a batch it published
     * but had not yet checkpointed goes out again (at-least-once, README "Topology"): each decision
     * is still recorded once and published under its one id, which consumers deduplicate by.
     */
    async function expectExactlyOnce(children: string[], expected: Map<string, number>, { republished = false } = {}): Promise<void> {
      for (const type of CHECKED) {
        // Generous: a SIGKILLed member's partitions move only when its session times out (30 s).
        const deadline = Date.now() + 120000;
        const complete = (counts: Map<string, unknown>) => children.every((c) => counts.get(c));
        while (!(complete(await storedPerChild(type)) && complete(publishedPerChild(type))) && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      // A duplicate would come after the last original: give it time to show.
      await new Promise((r) => setTimeout(r, 1000));
      const wrong: string[] = [];
      for (const type of CHECKED) {
        const stored = await storedPerChild(type);
        const onTopic = publishedPerChild(type);
        for (const child of children) {
          const want = expected.get(type);
          if (stored.get(child) !== want) wrong.push(`${child}: ${stored.get(child) ?? 0} ${type} stored, expected ${want}`);
          const sent = onTopic.get(child);
          const copiesRight = republished ? (sent?.copies ?? 0) >= want! : sent?.copies === want;
          if (sent?.ids.size !== want || !copiesRight) wrong.push(`${child}: ${sent?.ids.size ?? 0} ${type} published (${sent?.copies ?? 0} copies), expected ${want}`);
        }
      }
      expect(wrong).toEqual([]);
    }

    const decisionsLogged = (name: string) => (running.get(name)?.output().match(/"msg":"decision recorded"/g) ?? []).length;

    async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 60000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!(await condition())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    let intake: string;
    let expected: Map<string, number>;

    it('decides across processes, and a SIGKILLed allocation and checklist lose and duplicate nothing', async () => {
      intake = await start('intake');
      await start('allocation');
      await start('checklist');
      await start('escalation');
      const query = await start('query');

      expected = await inOrderRun('C-P-0', intake);
      const body = (await (await fetch(`${query}/v1/children/C-P-0/transfers?authority=demo`, { headers: { authorization: reader } })).json()) as { transfers?: { toTeam: string; dueBy: string }[] };
      expect(body.transfers?.[0]).toMatchObject({ toTeam: 'FSP', dueBy: '2026-05-18' });

      // A stream of 60 children; allocation and checklist are killed in the middle of it and started again.
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

      await expectExactlyOnce(['C-P-0', ...children], expected);
    });

    it('splits the partitions between two instances of allocation and of checklist; the survivors take over a SIGKILLed one', async () => {
      await kill('allocation', 'SIGTERM');
      await kill('checklist', 'SIGTERM');
      // Info logs: each instance says "decision recorded" (by event id) for what it decided.
      const info = { LOG_LEVEL: 'info' };
      await Promise.all([start('allocation', info, 'allocation-a'), start('allocation', info, 'allocation-b'), start('checklist', info, 'checklist-a'), start('checklist', info, 'checklist-b')]);

      const children = Array.from({ length: 90 }, (_, i) => `C-S-${i + 1}`);
      const postAll = async (some: string[]) => {
        for (const childId of some) expect((await post(intake, icpc(childId))).status).toBe(202);
      };
      // A third of the stream; both instances of each service decide some of it (each was given
      // partitions); then one of each dies, whatever it was doing, and the rest of the stream comes.
      await postAll(children.slice(0, 30));
      await until(() => ['allocation-a', 'allocation-b', 'checklist-a', 'checklist-b'].every((n) => decisionsLogged(n) > 0), 'both instances of each service to decide');
      await kill('allocation-a', 'SIGKILL');
      await kill('checklist-a', 'SIGKILL');
      const survivorsBefore = { allocation: decisionsLogged('allocation-b'), checklist: decisionsLogged('checklist-b') };
      await postAll(children.slice(30));

      await expectExactlyOnce(children, expected);
      // The survivors decided for the rest, their own partitions' and the dead members'.
      expect(decisionsLogged('allocation-b')).toBeGreaterThan(survivorsBefore.allocation);
      expect(decisionsLogged('checklist-b')).toBeGreaterThan(survivorsBefore.checklist);
    });

    it('a SIGKILLed intake, mid-way through the case-events feed and its relay, loses nothing and decides nothing twice', async () => {
      // The case-management system's Kafka feed (no HTTP): each child's two facts keyed by child.
      const children = Array.from({ length: 60 }, (_, i) => `C-K-${i + 1}`);
      const produce = (some: string[]) => watcher.publish(TOPICS.caseEvents, some.flatMap((childId) => icpc(childId).map((value) => ({ key: childId, value, headers: {} }))));
      await produce(children.slice(0, 30));
      // Intake has begun recording the feed, and its relay publishing it: it dies there, whatever it
      // was doing (a Kafka batch's transaction, a publish before its checkpoint, or between them).
      await until(async () => [...(await storedPerChild('ICPCHeld')).keys()].some((c) => c.startsWith('C-K-')), 'intake to record some of the feed');
      await kill('intake', 'SIGKILL');
      // The feed goes on while intake is down; the group resumes from its last committed offsets.
      await produce(children.slice(30));
      intake = await start('intake');

      await expectExactlyOnce(children, expected, { republished: true });
      // Every fact recorded once: nothing redelivered by Kafka was recorded again.
      for (const type of ['WorkerAllocated', 'ICPCHeld']) {
        const stored = await storedPerChild(type);
        expect(children.filter((c) => stored.get(c) !== 1)).toEqual([]);
      }
    });
  });
}
