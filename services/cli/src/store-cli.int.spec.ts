/**
 * Tamper evidence end to end on a real PostgreSQL: events appended through the store verify as
 * intact; an event changed behind the store's back (in SQL, with the append-only trigger disabled,
 * as someone with database access could) is found, at exactly that event, both by `verifyStore` and
 * by `npm run store -- verify` run as the operator would run it. Each test has a schema of its own.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import {
  GENESIS_HASH,
  integrityHash,
  integrityOf,
  openPgliteEventStore,
  openPostgresEventStore,
  verifyStore,
  type NewEvent,
  type SqlEventStore,
  type StoredEvent,
} from '@cto/event-store';
import { whyPgliteCannotStartUnderJest } from '@cto/event-store/testing';

jest.setTimeout(60000);

const databaseUrl = process.env.DATABASE_URL;
// DESIGN.md "Testing": CI always sets DATABASE_URL, so there its absence is a broken pipeline.
if (!databaseUrl && process.env.CI) throw new Error('DATABASE_URL is required in CI: the store verification tests cannot run without it');

const REPO = resolve(__dirname, '../../..');
const run = randomUUID().slice(0, 8);
// Something only the events' data holds, to prove the CLI never prints data.
const MARKER = `private-note-${run}`;

/** Three streams, eight events, appended in batches of several sizes. Stream ids sort a < b < c. */
async function appendStreams(store: SqlEventStore): Promise<{ a: string; b: string; c: string }> {
  const streams = { a: `child-demo-A-${run}`, b: `child-demo-B-${run}`, c: `child-demo-C-${run}` };
  let n = 0;
  const event = (childId: string): NewEvent => ({
    eventId: `verify-${run}-${++n}`,
    type: 'CaseClosed',
    data: { reason: `${MARKER} ${n}`, closingTeam: 'FSP', nested: { z: 1, a: [n, null] } },
    metadata: { kind: 'fact', authority: 'demo', childId, occurredAt: '2026-03-02T10:00:00Z', source: 'lcs' },
  });
  await store.appendToStream(streams.a, [event('A'), event('A'), event('A')], { expectedVersion: 'no-stream' });
  await store.appendToStream(streams.b, [event('B'), event('B')], { expectedVersion: 'no-stream' });
  await store.appendToStream(streams.a, [event('A'), event('A')], { expectedVersion: 3 });
  await store.appendToStream(streams.c, [event('C')], { expectedVersion: 'no-stream' });
  return streams;
}

/** `npm run store -- verify` in a child process, as an operator runs it. */
function storeCli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      'npm',
      ['run', '--silent', 'store', '--', 'verify', ...args],
      { cwd: REPO, env: { ...process.env, DATABASE_URL: '', DATABASE_SCHEMA: '', ...env }, timeout: 30000 },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

if (!databaseUrl) {
  describe('npm run store -- verify on PostgreSQL', () => {
    it('needs DATABASE_URL (run `npm test`, which finds or starts PostgreSQL)', () => {
      throw new Error('DATABASE_URL is not set, so the store verification tests did not run; set it and run again');
    });
  });
} else {
  describeOnPostgres(databaseUrl);
}

function describeOnPostgres(connectionString: string): void {
  describe('npm run store -- verify on PostgreSQL', () => {
    const opened: { store: SqlEventStore; schema: string }[] = [];
    afterAll(async () => {
      const admin = new Client({ connectionString });
      await admin.connect();
      try {
        for (const { store, schema } of opened) {
          await store.close();
          await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        }
      } finally {
        await admin.end();
      }
    });

    /** A migrated store in a schema of this test's own. */
    async function freshStore(): Promise<{ store: SqlEventStore; schema: string; env: Record<string, string> }> {
      const schema = `cto_verify_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      const store = await openPostgresEventStore({ connectionString, schema, applicationName: schema });
      opened.push({ store, schema });
      return { store, schema, env: { DATABASE_URL: connectionString, DATABASE_SCHEMA: schema } };
    }

    /** Runs SQL as someone with direct database access: the append-only trigger off for one transaction. */
    async function behindTheStoresBack(schema: string, work: (sql: Client) => Promise<void>): Promise<void> {
      const client = new Client({ connectionString, options: `-c search_path=${schema}` });
      await client.connect();
      try {
        await client.query('BEGIN');
        await client.query('ALTER TABLE events DISABLE TRIGGER events_append_only');
        await work(client);
        await client.query('ALTER TABLE events ENABLE TRIGGER events_append_only');
        await client.query('COMMIT');
      } finally {
        await client.end();
      }
    }

    const eventAt = async (store: SqlEventStore, streamId: string, version: number): Promise<StoredEvent> =>
      (await store.readStream(streamId)).events.find((event) => event.streamVersion === version)!;

    it('finds a store written only through the store intact (exit 0)', async () => {
      const { store, env } = await freshStore();
      await appendStreams(store);

      await expect(verifyStore(store)).resolves.toEqual({ ok: true, streams: 3, events: 8 });
      const cli = await storeCli(env);
      expect(cli).toMatchObject({ code: 0 });
      expect(cli.stdout).toContain('intact — 8 event(s) in 3 stream(s)');
    });

    it('stops at exactly the event whose data was changed in SQL, naming only its stream (exit 1)', async () => {
      const { store, schema, env } = await freshStore();
      const { a, c } = await appendStreams(store);
      const target = await eventAt(store, a, 4);
      await behindTheStoresBack(schema, async (sql) => {
        await sql.query(`UPDATE events SET data = jsonb_set(data, '{closingTeam}', '"CiC"') WHERE event_id = $1`, [target.eventId]);
        // A later stream is damaged too: the report is the first broken link in stream order.
        await sql.query(`UPDATE events SET type = 'ICPCHeld' WHERE stream_id = $1`, [c]);
      });
      // The trigger is back: the store is append-only again.
      await expect(store.sql.query(`UPDATE events SET type = 'x' WHERE false`)).rejects.toThrow('append-only');

      const result = await verifyStore(store, { pageSize: 2 });

      expect(result).toEqual({
        ok: false,
        streamId: a,
        streamVersion: 4,
        globalPosition: target.globalPosition,
        reason: 'hash-mismatch',
        expected: expect.stringMatching(/^[0-9a-f]{64}$/),
        found: integrityOf(target.metadata)!.hash,
        streams: 1,
        events: 3,
      });
      expect(result.ok === false && result.expected).not.toBe(integrityOf(target.metadata)!.hash);

      const cli = await storeCli(env);
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain(`BROKEN at stream ${a}, version 4 (global position ${target.globalPosition})`);
      expect(cli.stderr).toContain('hash-mismatch');
      // The stream id is the only child identifier printed; no data, no other stream.
      expect(cli.stdout + cli.stderr).not.toContain(MARKER);
      expect(cli.stdout + cli.stderr).not.toContain(c);

      const json = await storeCli(env, '--json');
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toEqual(result);
    });

    it('catches an altered event whose own hash was recomputed, at the next event of its stream', async () => {
      const { store, schema } = await freshStore();
      const { b } = await appendStreams(store);
      const first = await eventAt(store, b, 1);
      const second = await eventAt(store, b, 2);
      // The forger recomputes the changed event's hash correctly; the next event still links to the old one.
      const forgedData = { ...(first.data as object), closingTeam: 'CiC' };
      const forgedHash = integrityHash(GENESIS_HASH, { ...first, data: forgedData });
      await behindTheStoresBack(schema, (sql) =>
        sql
          .query(`UPDATE events SET data = $2::jsonb, metadata = jsonb_set(metadata, '{integrity,hash}', to_jsonb($3::text)) WHERE event_id = $1`, [
            first.eventId,
            JSON.stringify(forgedData),
            forgedHash,
          ])
          .then(() => undefined),
      );

      await expect(verifyStore(store)).resolves.toMatchObject({
        ok: false,
        streamId: b,
        streamVersion: 2,
        globalPosition: second.globalPosition,
        reason: 'previous-hash-mismatch',
        expected: forgedHash,
        found: integrityOf(first.metadata)!.hash,
      });
    });

    it('catches a removed event at the version after it', async () => {
      const { store, schema, env } = await freshStore();
      const { a } = await appendStreams(store);
      const removed = await eventAt(store, a, 2);
      const next = await eventAt(store, a, 3);
      await behindTheStoresBack(schema, (sql) => sql.query('DELETE FROM events WHERE event_id = $1', [removed.eventId]).then(() => undefined));

      await expect(verifyStore(store)).resolves.toMatchObject({
        ok: false,
        streamId: a,
        streamVersion: 3,
        globalPosition: next.globalPosition,
        reason: 'version-gap',
        expected: '2',
        found: '3',
      });
      expect((await storeCli(env)).code).toBe(1);
    });

    it('answers 2 for a usage mistake, a bad DATABASE_URL, and a schema with no store in it', async () => {
      expect((await storeCli({}, '--frobnicate')).code).toBe(2);
      expect((await storeCli({ DATABASE_URL: 'mysql://nowhere' })).code).toBe(2);
      const empty = await storeCli({ DATABASE_URL: connectionString, DATABASE_SCHEMA: `cto_verify_absent_${run.replace(/-/g, '')}` });
      expect(empty.code).toBe(2);
      expect(empty.stderr).toContain('no events table');
    });
  });
}

// The embedded store (DATA_DIR) takes the same path through the CLI; PGlite under Jest needs
// --experimental-vm-modules (`npm run jest` sets it).
const pgliteProblem = whyPgliteCannotStartUnderJest();
describe('npm run store -- verify on the embedded store (DATA_DIR)', () => {
  if (pgliteProblem !== undefined) {
    it('needs Node started with --experimental-vm-modules', () => {
      throw new Error(pgliteProblem);
    });
    return;
  }
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cto-verify-'));
    const store = await openPgliteEventStore({ dataDir: join(dataDir, 'pglite') });
    try {
      await appendStreams(store);
    } finally {
      await store.close();
    }
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('verifies an intact embedded store (exit 0) and refuses a DATA_DIR with no store (exit 2)', async () => {
    const intact = await storeCli({ DATA_DIR: dataDir });
    expect(intact).toMatchObject({ code: 0 });
    expect(intact.stdout).toContain('intact — 8 event(s) in 3 stream(s)');
    const empty = mkdtempSync(join(tmpdir(), 'cto-verify-empty-'));
    try {
      expect((await storeCli({ DATA_DIR: empty })).code).toBe(2);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
