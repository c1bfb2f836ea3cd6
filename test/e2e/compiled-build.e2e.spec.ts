/**
 * `npm run build` (deploy/build/build.js), as `npm start` and deploy/Dockerfile use it: every
 * library and service compiled into a tree that mirrors the repository, the `@cto/*` aliases
 * rewritten to relative requires, and the `__dirname`-relative reads (policy packs, JSON Schemas,
 * the dashboard's files) landing where the sources' land. Then the compiled embedded app is started
 * with node alone and must answer /health, serve the dashboard, list the packs and record a case
 * event, which it validates against contracts/events.
 *
 * It builds into a folder of its own under tmp/ (inside the repository, so node_modules is found
 * from there), never into dist/: it neither depends on a build that may be stale nor disturbs one
 * that a running `npm start` uses.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { bearer, testAuthEnv } from '@cto/testing';

jest.setTimeout(120000);

const root = resolve(__dirname, '../..');
let scratch: string;
let outDir: string;
let dataDir: string;

beforeAll(() => {
  mkdirSync(join(root, 'tmp'), { recursive: true });
  scratch = mkdtempSync(join(root, 'tmp', 'build-'));
  outDir = join(scratch, 'dist');
  dataDir = mkdtempSync(join(tmpdir(), 'cto-compiled-'));
  execFileSync(process.execPath, ['deploy/build/build.js', '--out-dir', outDir], { cwd: root, stdio: 'pipe', timeout: 110000 });
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));

describe('npm run build', () => {
  it('compiles every source of every project beside its path, and no spec', () => {
    const sources = ['libs', 'services'].flatMap((dir) => filesUnder(join(root, dir))).filter((f) => /(?<!\.spec)(?<!\.d)\.ts$/.test(f) && f.includes('/src/'));
    const missing = sources.map((f) => relative(root, f).replace(/\.ts$/, '.js')).filter((f) => !existsSync(join(outDir, f)));
    expect(missing).toEqual([]);
    expect(filesUnder(outDir).filter((f) => f.includes('.spec.'))).toEqual([]);
  });

  it('leaves no @cto/* alias for node to resolve', () => {
    const aliased = filesUnder(outDir)
      .filter((f) => f.endsWith('.js'))
      .filter((f) => /require\("@cto\//.test(readFileSync(f, 'utf8')))
      .map((f) => relative(outDir, f));
    expect(aliased).toEqual([]);
  });

  it("finds the repository's policies and contracts where the sources look for them, and carries the dashboard's files", () => {
    // libs/runtime and libs/policy-packs: resolve(__dirname, '../../../policies'); libs/contracts: '../../../contracts/events'.
    expect(realpathSync(resolve(outDir, 'libs/runtime/src', '../../../policies'))).toBe(realpathSync(join(root, 'policies')));
    expect(realpathSync(resolve(outDir, 'libs/contracts/src', '../../../contracts/events'))).toBe(realpathSync(join(root, 'contracts/events')));
    for (const asset of readdirSync(join(root, 'services/query/src/dashboard'))) {
      expect(readFileSync(join(outDir, 'services/query/src/dashboard', asset), 'utf8')).toBe(readFileSync(join(root, 'services/query/src/dashboard', asset), 'utf8'));
    }
  });
});

describe('the compiled embedded app', () => {
  let child: ChildProcess;
  let output = '';
  let url: string;

  beforeAll(async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', NODE_OPTIONS: '', ...testAuthEnv() };
    delete env.DATABASE_URL;
    delete env.KAFKA_BROKERS;
    // node and the compiled file only: no register hook, no TypeScript.
    child = spawn(process.execPath, [join(outDir, 'services/embedded/src/main.js')], { cwd: root, env, detached: true });
    child.stdout!.on('data', (b: Buffer) => (output += b));
    child.stderr!.on('data', (b: Buffer) => (output += b));
    url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`the compiled app did not listen within 60 s:\n${output}`)), 60000);
      child.stdout!.on('data', () => {
        const listening = /listening on (http:\/\/\S+)/.exec(output);
        if (listening) {
          clearTimeout(timer);
          resolveUrl(listening[1]);
        }
      });
      child.on('exit', (code) => reject(new Error(`the compiled app exited with ${code}:\n${output}`)));
    });
  });

  afterAll(async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  });

  it('answers /health', async () => {
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it('serves the dashboard, lists the packs and records a case event checked against its schema', async () => {
    const page = await fetch(`${url}/dashboard`);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(readFileSync(join(root, 'services/query/src/dashboard/index.html'), 'utf8'));

    const authorization = bearer({ roles: ['integration', 'reader'], authorities: ['demo'] });
    const policies = (await (await fetch(`${url}/v1/policies`, { headers: { authorization } })).json()) as unknown;
    expect(JSON.stringify(policies)).toContain('"demo"');

    const post = (data: unknown) =>
      fetch(`${url}/v1/case-events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify([{ eventId: 'compiled-1', type: 'ICPCHeld', authority: 'demo', childId: 'C-COMPILED', occurredAt: '2026-05-01T10:00:00+01:00', source: 'lcs', data }]),
      });
    expect((await post({ outcome: 'not-an-outcome' })).status).toBe(400);
    expect((await post({ outcome: 'cp-plan' })).status).toBe(202);
  });
});
