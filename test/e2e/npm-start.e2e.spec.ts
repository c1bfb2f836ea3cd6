/**
 * The README's run command, exactly as a person types it on a fresh clone: `npm start` serves the
 * API, a posted ICPC yields a TransferProposed, and a second start on the same data keeps it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

jest.setTimeout(120000);

const root = resolve(__dirname, '../..');
let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'cto-start-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/**
 * Started as a person would, with no key configured: the process signs with a key of its own and
 * prints a development token after the listening line, which is the only way in.
 */
async function npmStart(): Promise<{ url: string; authorization: string; child: ChildProcess; output: () => string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', NODE_OPTIONS: '' };
  delete env.DATABASE_URL;
  delete env.KAFKA_BROKERS; // the embedded default: in-process bus
  delete env.AUTH_JWT_SECRET;
  delete env.AUTH_JWT_PUBLIC_KEY;
  const child = spawn('npm', ['start', '--silent'], { cwd: root, env, detached: true });
  let output = '';
  child.stdout!.on('data', (b: Buffer) => (output += b));
  child.stderr!.on('data', (b: Buffer) => (output += b));
  const started = new Promise<[string, string]>((resolveStarted, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not listen and print a development token within 60 s:\n${output}`)), 60000);
    const check = () => {
      const listening = /listening on (http:\/\/\S+)/.exec(output);
      const token = /^development token .*\n(Authorization: )(Bearer \S+)$/m.exec(output);
      if (listening && token) {
        clearTimeout(timer);
        resolveStarted([listening[1], token[2]]);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  try {
    const [url, authorization] = await started;
    return { url, authorization, child, output: () => output };
  } catch (error) {
    // A process that did not start as expected is still running: stop it, or it outlives the test run.
    if (child.exitCode === null) await stop(child);
    throw error;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
}

const post = (url: string, authorization: string, body: unknown) =>
  fetch(`${url}/v1/case-events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(body) });

it('serves the API, decides an ICPC, and keeps it across a restart', async () => {
  const first = await npmStart();
  try {
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
    expect((await fetch(`${first.url}/v1/policies`)).status).toBe(401);
    const res = await post(first.url, first.authorization, [
      { eventId: 'start-1', type: 'WorkerAllocated', authority: 'demo', childId: 'C-START', occurredAt: '2026-04-01T09:00:00+01:00', source: 'lcs', data: { team: 'A&I', workerId: 'W-9' } },
      { eventId: 'start-2', type: 'ICPCHeld', authority: 'demo', childId: 'C-START', occurredAt: '2026-05-01T10:00:00+01:00', source: 'lcs', data: { outcome: 'cp-plan' } },
    ]);
    expect(res.status).toBe(202);
    let transfers: { toTeam: string; dueBy: string }[] = [];
    for (let i = 0; i < 100 && !transfers.length; i++) {
      transfers = ((await (await fetch(`${first.url}/v1/children/C-START/transfers?authority=demo`, { headers: { authorization: first.authorization } })).json()) as { transfers?: typeof transfers }).transfers ?? [];
      if (!transfers.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(transfers[0]).toMatchObject({ toTeam: 'FSP', dueBy: '2026-05-18' });
    // Logs above debug carry no child identifiers, and no token: it is printed once, at start.
    expect(first.output()).not.toContain('C-START');
    expect(first.output().split(first.authorization.slice('Bearer '.length)).length - 1).toBe(1);
  } finally {
    await stop(first.child);
  }

  const second = await npmStart();
  try {
    // A new start has a new key: the first process's token is no longer accepted.
    expect((await fetch(`${second.url}/v1/children/C-START/transfers?authority=demo`, { headers: { authorization: first.authorization } })).status).toBe(401);
    const body = (await (await fetch(`${second.url}/v1/children/C-START/transfers?authority=demo`, { headers: { authorization: second.authorization } })).json()) as {
      transfers: unknown[];
    };
    expect(body.transfers).toHaveLength(1);
    expect(body.transfers[0]).toMatchObject({ toTeam: 'FSP', dueBy: '2026-05-18' });
  } finally {
    await stop(second.child);
  }
});
