import { logLevel, type KafkaMessage } from 'kafkajs';
import { KafkaBus } from './kafka-bus';
import { decodeRecord, encodeRecord, nextOffset, UndecodableMessage } from './kafka-codec';
import { KafkaBusLog, type KafkaBusLogger } from './kafka-logging';

// What needs no broker: options, encoding, and what reaches the logs. The behaviour on a broker
// is in kafka-bus.int.spec.ts.

describe('KafkaBus, without a broker', () => {
  describe('options', () => {
    it('lists every bad option at once', () => {
      expect(
        () =>
          new KafkaBus({
            brokers: ['no-port'],
            partitions: 0,
            retry: { maxAttempts: 0, backoffMs: -1 },
            consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 6_000 },
          }),
      ).toThrow(
        /brokers must be .*; partitions must be .*; retry.maxAttempts must be .*; retry.backoffMs must be .*; consumer.heartbeatIntervalMs must be below/,
      );
    });

    it('connects to nothing until used, and a closed bus refuses work', async () => {
      const bus = new KafkaBus({ brokers: ['127.0.0.1:1'] });
      await bus.close();
      await expect(bus.publish('t', [])).rejects.toThrow(/closed/);
      await expect(bus.subscribe({ topic: 't', groupId: 'g', handler: async () => undefined })).rejects.toThrow(/closed/);
    });
  });

  describe('encoding', () => {
    it('refuses a batch member it cannot encode, naming it, as the in-process bus does', () => {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      expect(() => encodeRecord({ key: 'k', value: cyclic, headers: {} }, 1)).toThrow(/message 1: value cannot be encoded as JSON/);
      expect(() => encodeRecord({ key: 'k', value: undefined, headers: {} }, 0)).toThrow(/message 0/);
      expect(() => encodeRecord({ key: 'k', value: 1, headers: { n: 1 as unknown as string } }, 2)).toThrow(/message 2: header n must be a string/);
    });

    it('decodes a fresh copy, the last value of a repeated header, and no null headers', () => {
      const record = { key: Buffer.from('F-1'), value: Buffer.from('{"a":[1]}'), offset: '41', timestamp: '0', attributes: 0, size: 0, headers: { h: [Buffer.from('1'), Buffer.from('2')], e: Buffer.from(''), n: undefined } } as unknown as KafkaMessage;
      const first = decodeRecord('t', 2, record);
      expect(first).toEqual({ topic: 't', partition: 2, offset: '41', key: 'F-1', value: { a: [1] }, headers: { h: '2', e: '' } });
      expect(decodeRecord('t', 2, record).value).not.toBe(first.value);
      expect(() => decodeRecord('t', 2, { ...record, value: Buffer.from('nope') })).toThrow(UndecodableMessage);
      expect(() => decodeRecord('t', 2, { ...record, value: null })).toThrow(UndecodableMessage);
    });

    it('computes the next offset beyond 2^53', () => {
      expect(nextOffset('9007199254740993')).toBe('9007199254740994');
    });
  });

  describe('logging', () => {
    const capture = () => {
      const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
      const at =
        (level: string) =>
        (fields: Record<string, unknown>, message: string): void =>
          void lines.push({ level, message, fields });
      const logger: KafkaBusLogger = { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
      return { lines, logger };
    };

    it('passes ids and never a payload, nor a handler error’s text above debug', () => {
      const { lines, logger } = capture();
      const log = new KafkaBusLog(logger, 'warn', (id) => `hash-of-${id.length}`);
      log.write('warn', 'handler failed', { topic: 't', partition: 1, offset: '7', groupId: 'g', eventId: 'e-1', value: { childId: 'C-1' }, headers: { ce_subject: 'child-x' }, error: new Error('C-1 has no DOB'), reason: 'C-1 has no DOB' });
      expect(lines).toEqual([{ level: 'warn', message: 'handler failed', fields: { topic: 't', partition: 1, offset: '7', groupId: 'g', eventId: 'hash-of-3', error: 'Error' } }]);
    });

    it('shows an event id (which may embed a child id) above debug only as its hash, or not at all; at debug as it is', () => {
      const { lines, logger } = capture();
      new KafkaBusLog(logger, 'info').write('info', 'handler failed', { topic: 't', eventId: 'C-1029-icpc' });
      new KafkaBusLog(logger, 'debug', (id) => `hash-of-${id.length}`).write('debug', 'handler failed', { topic: 't', eventId: 'C-1029-icpc' });
      expect(lines).toEqual([
        { level: 'info', message: 'handler failed', fields: { topic: 't' } },
        { level: 'debug', message: 'handler failed', fields: { topic: 't', eventId: 'C-1029-icpc' } },
      ]);
    });

    it('filters kafkajs lines the same way, at our level, and calls routine rebalances info', () => {
      const { lines, logger } = capture();
      const log = new KafkaBusLog(logger, 'warn');
      const kafkajs = log.logCreator()(log.kafkaJsLevel());
      const entry = (level: logLevel, namespace: string, message: string, extra: Record<string, unknown> = {}) =>
        kafkajs({ namespace, level, label: '', log: { timestamp: '', message, ...extra } });
      entry(logLevel.ERROR, 'Runner', 'Error when calling eachMessage', { topic: 't', value: { childId: 'secret' }, payload: 'secret', error: new Error('secret') });
      entry(logLevel.WARN, 'Runner', 'The group is rebalancing, re-joining', { groupId: 'g' });
      entry(logLevel.ERROR, 'Connection', 'Response Heartbeat(key: 12, version: 3)', { error: 'The group is rebalancing, so a rejoin is needed' });
      expect(lines).toEqual([{ level: 'error', message: 'kafkajs: Error when calling eachMessage', fields: { topic: 't', namespace: 'Runner', error: 'Error' } }]);
      expect(JSON.stringify(lines)).not.toContain('secret');
    });
  });
});
