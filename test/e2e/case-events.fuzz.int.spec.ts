/**
 * Hostile input on the bus (issue 8 item 4): intake's Kafka consumer on a real broker
 * (KAFKA_BROKERS) and a real PostgreSQL (DATABASE_URL). A few thousand hostile messages — not JSON
 * at all, empty, tombstones, huge, nested far too deep, JSON of the wrong shape, and mostly
 * near-valid case events with one thing wrong (./hostile-case-events.ts) — are produced to
 * case-events, interleaved with valid events. Then:
 *  - every hostile message is on the dead-letter topic exactly once, with its original headers and
 *    the x-dlq-* headers; a message that was JSON carries its field-level reasons (put there by the
 *    consumer, not by the bus giving up on a crashing handler);
 *  - every valid event is stored, and nothing else is (not even valid events inside a rejected batch);
 *  - the consumer keeps consuming: a last valid event, produced after everything else, is stored.
 *
 * Isolation: topic names are constants (libs/messaging/src/topics.ts), so the consumer is given a
 * bus that prefixes every topic and group with this run's id — no other run (or engineer) shares
 * its topics or consumer group — and the store is a schema of the run's own.
 */
import type { INestMicroservice } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import fc from 'fast-check';
import { Kafka, logLevel, Partitioners, type Admin, type Consumer, type IHeaders, type Message, type Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { IntakeModule, VALUE_OMITTED_HEADER } from '@cto/intake';
import { DEAD_LETTER_HEADERS, KafkaBus, TOPICS } from '@cto/messaging';
import { BusTransport, loadConfig, MESSAGE_BUS, NamespacedBus, RuntimeModule } from '@cto/runtime';
import { buildHostile, buildValid, hostileRecipe, validType, type Ids } from './hostile-case-events';

jest.setTimeout(120000);

const brokers = process.env.KAFKA_BROKERS;
const databaseUrl = process.env.DATABASE_URL;
// DESIGN.md "Testing": CI always sets both, so there a missing one is a broken pipeline.
if (process.env.CI && (!brokers || !databaseUrl)) throw new Error('KAFKA_BROKERS and DATABASE_URL are required in CI: the Kafka fuzz test must run there');

if (!brokers || !databaseUrl) {
  describe('intake on Kafka under fuzzed hostile messages', () => {
    it('needs KAFKA_BROKERS and DATABASE_URL (run `npm test`, which finds or starts both)', () => {
      throw new Error(`not set: ${[!brokers && 'KAFKA_BROKERS', !databaseUrl && 'DATABASE_URL'].filter(Boolean).join(' and ')}, so the Kafka fuzz test did not run`);
    });
  });
} else {
  describeOnKafka(brokers.split(','), databaseUrl);
}

/** One message to produce, and what must become of it. */
interface Planned {
  fuzzId: string;
  message: Message;
  hostile: boolean;
  /** Was the value JSON? Then the consumer (not the bus) dead-letters it, with field-level reasons. */
  json: boolean;
  /** The event id a valid message must be stored under. */
  eventId?: string;
  why: string;
}

function describeOnKafka(brokerList: string[], connectionString: string): void {
  describe('intake on Kafka under fuzzed hostile messages', () => {
    const run = randomUUID().replace(/-/g, '').slice(0, 12);
    const prefix = `fuzz-${run}.`;
    const caseEventsTopic = prefix + TOPICS.caseEvents;
    const deadLetterTopic = prefix + TOPICS.deadLetter;
    const schema = `cto_fuzz_${run}`;
    const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

    const kafka = new Kafka({ clientId: `fuzz-${run}`, brokers: brokerList, logLevel: logLevel.NOTHING });
    let admin: Admin;
    let producer: Producer;
    let collector: Consumer;
    let moduleRef: TestingModule | undefined;
    let intake: INestMicroservice | undefined;
    let sql: Client;
    const deadLetters: { headers: Record<string, string>; valueBytes: number | null }[] = [];

    beforeAll(async () => {
      admin = kafka.admin();
      await admin.connect();
      // Created here (the broker does not auto-create) so the collector can subscribe before anything is dead-lettered.
      await admin.createTopics({
        topics: [caseEventsTopic, deadLetterTopic].map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })),
        waitForLeaders: true,
      });
      producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      collector = kafka.consumer({ groupId: `${prefix}collector`, maxWaitTimeInMs: 200 });
      await collector.connect();
      await collector.subscribe({ topic: deadLetterTopic, fromBeginning: true });
      await collector.run({
        eachMessage: async ({ message }) => {
          deadLetters.push({ headers: decodeHeaders(message.headers), valueBytes: message.value === null ? null : message.value.length });
        },
      });

      const config = loadConfig({ DATABASE_URL: connectionString, DATABASE_SCHEMA: schema, KAFKA_BROKERS: brokerList.join(','), LOG_LEVEL: 'silent' });
      const bus = new NamespacedBus(new KafkaBus({ brokers: brokerList, clientId: `fuzz-${run}`, logLevel: 'error' }), prefix);
      moduleRef = await Test.createTestingModule({ imports: [RuntimeModule.forRoot(config), IntakeModule] })
        .overrideProvider(MESSAGE_BUS)
        .useValue(bus)
        .compile();
      moduleRef.useLogger(false);
      // Intake's consumer as the services run it: a Nest microservice on the bus transport (group fuzz-<run>.intake).
      intake = moduleRef.createNestMicroservice({ strategy: new BusTransport(bus) });
      intake.useLogger(false);
      await intake.init();
      await intake.listen();

      sql = new Client({ connectionString, options: `-c search_path=${schema}` });
      await sql.connect();
    });

    afterAll(async () => {
      await collector?.disconnect();
      await producer?.disconnect();
      await intake?.close();
      await moduleRef?.close();
      await sql?.end();
      const admin2 = new Client({ connectionString });
      await admin2.connect();
      await admin2.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin2.end();
      await admin?.deleteTopics({ topics: [caseEventsTopic, deadLetterTopic] }).catch(() => undefined);
      await admin?.deleteGroups([`${prefix}intake`, `${prefix}collector`]).catch(() => undefined);
      await admin?.disconnect();
    });

    let serial = 0;
    const freshIds = (): Ids => {
      serial++;
      return { eventId: `kfz-${run}-${serial}`, childId: `KFZ-${run}-${serial}` };
    };
    const ORIGINAL_HEADERS = { 'x-fuzz-origin': 'case-management-system', ce_specversion: '1.0' };
    const planned = (value: Buffer | string | null, hostile: boolean, json: boolean, why: string, key: string | null, eventId?: string): Planned => {
      const fuzzId = `${run}-${++serial}`;
      return {
        fuzzId,
        message: { key, value, headers: { ...ORIGINAL_HEADERS, 'x-fuzz-id': fuzzId } },
        hostile,
        json,
        why,
        ...(eventId !== undefined ? { eventId } : {}),
      };
    };

    /** The corpus: hostile messages of every kind and valid events, shuffled together. */
    function corpus(): { small: Planned[]; huge: Planned[] } {
      const sample = <T>(arb: fc.Arbitrary<T>, numRuns: number): T[] => fc.sample(arb, { numRuns, seed: seed + serial });
      const small: Planned[] = [];
      // Near-valid events with one thing wrong, and garbage JSON values (1,500).
      for (const recipe of sample(hostileRecipe({ maxHuge: 20_000 }), 1500)) {
        const ids = freshIds();
        const hostile = buildHostile(recipe, ids);
        small.push(planned(JSON.stringify(hostile.value), true, true, hostile.why, ids.childId));
      }
      // Batches (arrays) with one hostile event among valid ones: dead-lettered whole, the valid ones not stored (150).
      for (const [recipe, before, after] of sample(fc.tuple(hostileRecipe({ maxHuge: 2000 }), validType, validType), 150)) {
        const batch = [buildValid(before, freshIds()), buildHostile(recipe, freshIds()).value, buildValid(after, freshIds())];
        small.push(planned(JSON.stringify(batch), true, true, `batch with ${recipe.why}`, null));
      }
      // Bytes that are not JSON: random bytes, truncated events, a byte-order mark, JavaScript that is not JSON (300).
      const notJson = fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
        validType.chain((type) => fc.nat().map((cut) => {
          const text = JSON.stringify(buildValid(type, freshIds()));
          return Buffer.from(text.slice(0, 1 + (cut % (text.length - 1))));
        })),
        fc.constantFrom('undefined', 'NaN', "{'eventId': 'x'}", '{"a":1}{"b":2}', '\ufeff{"eventId":"x"}', '[1,2,', '{"a":01}', 'nul', '"unterminated').map((text) => Buffer.from(text)),
      );
      for (const value of sample(notJson, 300).filter((bytes) => !parses(bytes))) small.push(planned(value, true, false, 'not JSON', `k-${serial}`));
      // Empty values and tombstones (60).
      for (let i = 0; i < 30; i++) small.push(planned(Buffer.alloc(0), true, false, 'empty value', `k-${serial}`));
      for (let i = 0; i < 30; i++) small.push(planned(null, true, false, 'tombstone', `k-${serial}`));
      // JSON, but nested far deeper than JSON.stringify can write back (a poison message) (20).
      for (const depth of sample(fc.integer({ min: 5_000, max: 40_000 }), 20)) {
        const arrays = depth % 2 === 0;
        small.push(planned(arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`, true, true, `too deep to write back: ${depth} levels`, `k-${serial}`));
      }
      // Valid events (300), interleaved.
      for (const type of sample(validType, 300)) {
        const ids = freshIds();
        small.push(planned(JSON.stringify(buildValid(type, ids)), false, true, 'valid', ids.childId, ids.eventId));
      }
      const shuffled = sample(fc.shuffledSubarray(small, { minLength: small.length, maxLength: small.length }), 1)[0];
      // Huge values near the broker's 1 MB limit, sent one per request (10).
      const huge = Array.from({ length: 10 }, (_, i) => {
        const ids = freshIds();
        const event = { ...buildValid('CaseClosed', ids), data: { reason: 'x'.repeat(600_000 + i * 1000) } };
        return planned(JSON.stringify(event), true, true, 'huge value', ids.childId);
      });
      return { small: shuffled, huge };
    }

    async function eventually(done: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!(await done())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }

    const storedEventIds = async (): Promise<string[]> => (await sql.query<{ event_id: string }>('SELECT event_id FROM events')).rows.map((r) => r.event_id);

    it('dead-letters every hostile message with its reasons and original headers, stores every valid one and nothing else, and keeps consuming', async () => {
      const { small, huge } = corpus();
      const all = [...small, ...huge];
      const hostile = all.filter((p) => p.hostile);
      const valid = all.filter((p) => !p.hostile);
      for (let i = 0; i < small.length; i += 100) await producer.send({ topic: caseEventsTopic, acks: -1, messages: small.slice(i, i + 100).map((p) => p.message) });
      for (const p of huge) await producer.send({ topic: caseEventsTopic, acks: -1, messages: [p.message] });
      // Produced last: stored only if the consumer is still consuming after everything above.
      const sentinelIds = freshIds();
      await producer.send({ topic: caseEventsTopic, acks: -1, messages: [planned(JSON.stringify(buildValid('ICPCHeld', sentinelIds)), false, true, 'sentinel', sentinelIds.childId).message] });

      await eventually(async () => deadLetters.length >= hostile.length && (await storedEventIds()).length >= valid.length + 1, 'the dead letters and the stored events').catch(async (e) => { throw new Error(`${e.message}: ${deadLetters.length}/${hostile.length} dead, ${(await storedEventIds()).length}/${valid.length + 1} stored`); });

      // Exactly the hostile messages, each once.
      const dead = new Map(deadLetters.map((d) => [d.headers['x-fuzz-id'], d]));
      expect(deadLetters).toHaveLength(hostile.length);
      expect([...dead.keys()].sort()).toEqual(hostile.map((p) => p.fuzzId).sort());
      for (const p of hostile) {
        const { headers } = dead.get(p.fuzzId)!;
        const context = `${p.why} (${p.fuzzId})`;
        // The original headers travel with it.
        expect({ context, ...headers }).toMatchObject({ context, ...ORIGINAL_HEADERS, [DEAD_LETTER_HEADERS.originalTopic]: caseEventsTopic });
        expect(headers[DEAD_LETTER_HEADERS.originalOffset]).toMatch(/^\d+$/);
        expect(headers[DEAD_LETTER_HEADERS.reason]?.length).toBeGreaterThan(0);
        if (p.json) {
          // Rejected by the consumer's checks with field-level reasons — not a handler that crashed
          // until the bus gave up on it (that path sets x-dlq-attempts).
          if (headers[DEAD_LETTER_HEADERS.attempts] !== undefined) throw new Error(`${context}: dead-lettered by the bus after a crash: ${headers[DEAD_LETTER_HEADERS.reason]}`);
          const reasons = JSON.parse(headers[DEAD_LETTER_HEADERS.reason]) as { path: string; reason: string }[];
          expect(reasons.length).toBeGreaterThan(0);
          for (const r of reasons) expect(typeof r.path === 'string' && typeof r.reason === 'string' && r.reason.length > 0).toBe(true);
          // Only a value JSON cannot write back is left out, and the dead letter says so.
          expect({ context, omitted: headers[VALUE_OMITTED_HEADER] !== undefined }).toEqual({ context, omitted: p.why.startsWith('too deep to write back') });
        } else {
          // Not JSON (or no value): the bus cannot decode it, so never hands it to the handler.
          expect(headers[DEAD_LETTER_HEADERS.attempts]).toBe('0');
        }
      }

      // Every valid event stored, the sentinel too, and nothing else.
      expect((await storedEventIds()).sort()).toEqual([...valid.map((p) => p.eventId!), sentinelIds.eventId].sort());

      console.log(
        `fuzz over Kafka (seed ${seed}): ${hostile.length} hostile messages dead-lettered ` +
          `(${hostile.filter((p) => !p.json).length} not JSON, empty or tombstones; ${huge.length} of ~600 KB), ${valid.length + 1} valid stored`,
      );
    });
  });
}

function parses(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const last = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (last !== undefined && last !== null) decoded[name] = last.toString();
  }
  return decoded;
}
