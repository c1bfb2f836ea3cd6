/**
 * The system on a real Apache Kafka broker (KAFKA_BROKERS; `npm test` starts one): a case event
 * produced to `case-events` is recorded and decided, the decision is published on
 * `transfer-events` with CloudEvents headers, and a malformed event goes to the dead-letter topic
 * with its field-level reasons while nothing of it is stored.
 */
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DEAD_LETTER_HEADERS, KafkaBus, TOPICS, type ReceivedMessage } from '@cto/messaging';
import { loadConfig, NamespacedBus } from '@cto/runtime';
import { createEmbeddedApp } from '@cto/embedded';
import { bearer, testAuthEnv } from '@cto/testing';

jest.setTimeout(120000);

const brokers = process.env.KAFKA_BROKERS;
if (!brokers && process.env.CI) throw new Error('KAFKA_BROKERS is required in CI: the Kafka system tests must run there');

if (!brokers) {
  describe('the system on Kafka', () => {
    it('needs KAFKA_BROKERS (run `npm test`, which starts a broker)', () => {
      throw new Error('KAFKA_BROKERS is not set, so the Kafka system tests cannot run');
    });
  });
} else {
  describeOnKafka(brokers.split(','));
}

function describeOnKafka(brokerList: string[]): void {
  describe('the system on Kafka', () => {
    const run = randomUUID().slice(0, 8);
    let dataDir: string;
    let app: INestApplication;
    let client: NamespacedBus;
    const decisions: ReceivedMessage[] = [];
    const deadLetters: ReceivedMessage[] = [];

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'cto-kafka-'));
      app = await createEmbeddedApp(loadConfig({ DATA_DIR: dataDir, KAFKA_BROKERS: brokerList.join(','), KAFKA_TOPIC_PREFIX: `e2e-${run}.`, LOG_LEVEL: 'silent', POLL_INTERVAL_MS: '20', ...testAuthEnv() }));
      await app.init();
      // The system's topics under this run's prefix, as the app names them (a test run shares the broker).
      client = new NamespacedBus(new KafkaBus({ brokers: brokerList, clientId: `e2e-${run}`, logLevel: 'error' }), `e2e-${run}.`);
      await client.subscribe({ topic: TOPICS.transferEvents, groupId: `e2e-notifications-${run}`, fromBeginning: true, handler: async (m) => void decisions.push(m) });
      await client.subscribe({ topic: TOPICS.deadLetter, groupId: `e2e-dlq-${run}`, fromBeginning: true, handler: async (m) => void deadLetters.push(m) });
    });

    afterAll(async () => {
      await client?.close();
      await app?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    async function eventually<T>(read: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
      const deadline = Date.now() + 60000;
      for (;;) {
        const value = await read();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    // Case events arrive on Kafka without a token; reading them back over HTTP needs one.
    const reader = bearer({ roles: ['reader'], authorities: ['demo'] });
    const childId = `C-KAFKA-${run}`;
    const envelope = (n: number, type: string, occurredAt: string, data: object) => ({
      eventId: `kafka-${run}-${n}`,
      type,
      authority: 'demo',
      childId,
      occurredAt,
      source: 'lcs',
      data,
    });

    it('records case events from the case-events topic and publishes the decision on transfer-events', async () => {
      await client.publish(TOPICS.caseEvents, [
        { key: childId, value: envelope(1, 'WorkerAllocated', '2026-04-01T09:00:00+01:00', { team: 'A&I', workerId: 'W-1' }), headers: {} },
        { key: childId, value: envelope(2, 'ICPCHeld', '2026-05-01T10:00:00+01:00', { outcome: 'cp-plan' }), headers: {} },
      ]);
      const message = await eventually(
        () => decisions.find((m) => m.headers.ce_type === 'TransferProposed' && (m.value as { childId: string }).childId === childId),
        'TransferProposed on transfer-events',
      );
      expect(message.key).toBe(childId);
      expect(message.headers).toMatchObject({ ce_specversion: '1.0', ce_subject: `child/demo/${childId}`, ce_source: '/case-transfer-orchestration/demo' });
      expect(message.value).toMatchObject({ type: 'TransferProposed', causationId: `kafka-${run}-2`, data: { fromTeam: 'A&I', toTeam: 'FSP', dueBy: '2026-05-18' } });
      const transfers = (await request(app.getHttpServer()).get(`/v1/children/${childId}/transfers?authority=demo`).set('authorization', reader).expect(200)).body.transfers;
      expect(transfers).toHaveLength(1);
    });

    it('dead-letters a malformed case event with its reasons and original headers, and stores nothing of it', async () => {
      const badChild = `C-BAD-${run}`;
      await client.publish(TOPICS.caseEvents, [
        { key: badChild, value: { ...envelope(3, 'ICPCHeld', '2026-05-01T10:00:00+01:00', { outcome: 'maybe' }), childId: badChild }, headers: { ce_id: `kafka-${run}-3` } },
      ]);
      const dead = await eventually(() => deadLetters.find((m) => m.key === badChild), 'the dead letter');
      expect(dead.headers.ce_id).toBe(`kafka-${run}-3`);
      expect(dead.headers[DEAD_LETTER_HEADERS.originalTopic]).toBe(client.named(TOPICS.caseEvents));
      expect(JSON.parse(dead.headers[DEAD_LETTER_HEADERS.reason])).toEqual([expect.objectContaining({ path: '/data/outcome' })]);
      await request(app.getHttpServer()).get(`/v1/children/${badChild}/events?authority=demo`).set('authorization', reader).expect(404);
    });
  });
}
