/**
 * Nothing identifying at info (issue 15 defect 5): case-management systems commonly build event ids
 * from child ids, and those ids reached the info log twice over, as the eventId intake logs and as
 * the causationId of every decision a fact caused. The embedded system is started as a process with
 * LOG_LEVEL=info, streams whose event ids embed the child's id run through it (facts each deciding
 * service decides on, a manager's action with an Idempotency-Key that embeds it too, the clock
 * moved past the due date), and the whole output is searched: the child ids are nowhere, and the
 * ids are there as their keyed hash, so support holding LOG_ID_KEY can still follow one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { logId } from '@cto/runtime';
import { bearer, clockAdmin, eventually, SHIPPED_AUTHORITIES, testAuthEnv } from '@cto/testing';

jest.setTimeout(120000);

const root = resolve(__dirname, '../..');
const LOG_ID_KEY = 'log-id-key-for-the-info-log-test-0123456789';
/** In both children's ids, and so in every id built from them: the string searched for. */
const MARK = 'LOGS-7731';
const CHILD = `C-${MARK}`;
/** A kent child with no named worker: the escalation service decides straight from its ICPC. */
const UNALLOCATED = `K-${MARK}`;
const ids = { worker: `${CHILD}-worker`, icpc: `${CHILD}-icpc`, meeting: `${CHILD}-core-group`, item: `${CHILD}-item`, dispute: `${CHILD}-dispute` };
const hashed = (id: string): string => logId({ logIdKey: new TextEncoder().encode(LOG_ID_KEY) }, id);
const authorization = bearer({ roles: ['integration', 'manager', 'reader'], authorities: [...SHIPPED_AUTHORITIES] });

let dataDir: string;
let child: ChildProcess;
let output = '';
let url: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cto-info-log-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    LOG_ID_KEY,
    POLL_INTERVAL_MS: '50',
    CLOCK_START: '2026-05-01T10:30:00Z',
    NODE_OPTIONS: '',
    ...testAuthEnv(),
  };
  delete env.DATABASE_URL;
  delete env.KAFKA_BROKERS;
  child = spawn(process.execPath, ['-r', '@swc-node/register', 'services/embedded/src/main.ts'], { cwd: root, env, detached: true });
  child.stdout!.on('data', (b: Buffer) => (output += b));
  child.stderr!.on('data', (b: Buffer) => (output += b));
  url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`the embedded process did not listen within 60 s:\n${output}`)), 60000);
    child.stdout!.on('data', () => {
      const listening = /listening on (http:\/\/\S+)/.exec(output);
      if (listening) {
        clearTimeout(timer);
        resolveUrl(listening[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`the embedded process exited with ${code}:\n${output}`)));
  });
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) await stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** SIGTERM, as an operator stops it: the logger flushes what it holds before the process ends. */
async function stop(): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
}

const call = async (method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> => {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: headers.authorization ?? authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const envelope = (eventId: string, type: string, occurredAt: string, data: object, authority = 'demo', childId = CHILD) => ({ eventId, type, authority, childId, occurredAt, source: 'lcs', data });
const eventsOf = async (authority: string, childId: string) => ((await call('GET', `/v1/children/${childId}/events?authority=${authority}`)).body.events ?? []) as { type: string }[];

it('has no child id in the info log, and the client-chosen ids as their keyed hash', async () => {
  const posted = await call('POST', '/v1/case-events', [
    envelope(ids.worker, 'WorkerAllocated', '2026-04-01T09:00:00+01:00', { team: 'A&I', workerId: 'W-17' }),
    envelope(ids.icpc, 'ICPCHeld', '2026-05-01T10:00:00+01:00', { outcome: 'cp-plan' }),
    envelope(ids.meeting, 'MeetingScheduled', '2026-05-05T09:00:00+01:00', { kind: 'initial-core-group', on: '2026-05-12' }),
    envelope(`${UNALLOCATED}-referral`, 'ReferralReceived', '2026-05-01T09:00:00+01:00', { referralSource: 'school' }, 'kent', UNALLOCATED),
    envelope(`${UNALLOCATED}-icpc`, 'ICPCHeld', '2026-05-01T10:00:00+01:00', { outcome: 'cp-plan', concerns: ['neglect'] }, 'kent', UNALLOCATED),
  ]);
  expect(posted.status).toBe(202);
  const [transfer] = await eventually(
    async () => ((await call('GET', `/v1/children/${CHILD}/transfers?authority=demo`)).body.transfers ?? []) as { transferId: string; checklist: { items: { itemId: string }[] } | null }[],
    (t) => t.length > 0 && t[0].checklist !== null,
    'the proposal and its checklist',
  );
  // A fact the checklist service decides on directly.
  const itemId = transfer.checklist!.items[0].itemId;
  expect((await call('POST', '/v1/case-events', envelope(ids.item, 'ChecklistItemCompleted', '2026-05-06T09:00:00+01:00', { transferId: transfer.transferId, itemId }))).status).toBe(202);
  expect((await call('POST', `/v1/transfers/${transfer.transferId}/dispute`, { reason: 'capacity in FSP' }, { 'idempotency-key': ids.dispute })).status).toBe(200);
  // Past the due date: the supervision timers raise escalations, decisions whose cause is a timer.
  expect((await call('POST', '/v1/admin/clock', { now: '2026-06-01T09:00:00Z' }, { authorization: clockAdmin() })).status).toBe(200);
  await eventually(() => eventsOf('demo', CHILD), (e) => e.some((x) => x.type === 'ChecklistItemMet'), 'the item met');
  await eventually(() => eventsOf('kent', UNALLOCATED), (e) => e.some((x) => x.type === 'AllocationRequired'), 'AllocationRequired');
  await eventually(async () => ((await call('GET', '/v1/escalations?authority=demo')).body.escalations ?? []) as unknown[], (e) => e.length > 1, 'escalations');
  await stop();

  const lines = output.split('\n');
  // Nowhere the children's ids: not in an event id, a causation id, an idempotency key or a URL.
  expect(lines.filter((l) => l.includes(MARK))).toEqual([]);
  // The lines searched are all there: intake's, the deciding followers' and the requests'.
  expect(lines.filter((l) => l.includes('"msg":"case event recorded"') && l.includes(`"eventId":"${hashed(ids.icpc)}"`))).toHaveLength(1);
  expect(lines.some((l) => l.includes('"msg":"decision recorded"'))).toBe(true);
  expect(lines.some((l) => l.includes('"msg":"request completed"'))).toBe(true);
  // A decision's cause may be any client's event id, so it is shown hashed whatever it is (or "timer").
  const causes = lines.flatMap((l) => [...l.matchAll(/"causationId":"([^"]*)"/g)].map((m) => m[1]));
  expect(causes.filter((c) => c !== 'timer' && !/^hmac:[0-9a-f]{16}$/.test(c))).toEqual([]);
});
