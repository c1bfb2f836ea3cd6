import { Logger } from '@nestjs/common';
import { Writable } from 'node:stream';
import pino from 'pino';
import pretty from 'pino-pretty';
import type { Options } from 'pino-http';
import type { RuntimeConfig } from './config';
import { kafkaBusLogger, loggerParams, logId, PRETTY_OPTIONS, QuietStartLogger, REDACTED_PATHS, scrubUrl } from './logging';

describe('logId: a client-chosen id as logs above debug show it', () => {
  const key = { logIdKey: new TextEncoder().encode('k'.repeat(32)) };

  it('is HMAC-SHA256, hex, its first 16 digits (RFC 4231 test case 2), so support can compute it with openssl', () => {
    expect(logId({ logIdKey: new TextEncoder().encode('Jefe') }, 'what do ya want for nothing?')).toBe('hmac:5bdcc146bf60754e');
  });

  it('names the same id alike and never shows it', () => {
    expect(logId(key, 'C-1029-icpc-1')).toBe(logId(key, 'C-1029-icpc-1'));
    expect(logId(key, 'C-1029-icpc-1')).not.toBe(logId(key, 'C-1029-icpc-2'));
    expect(logId(key, 'C-1029-icpc-1')).not.toContain('C-1029');
  });

  it('differs under another key: without the key, a guessed id cannot be checked against the log', () => {
    expect(logId({ logIdKey: new TextEncoder().encode('j'.repeat(32)) }, 'C-1029-icpc-1')).not.toBe(logId(key, 'C-1029-icpc-1'));
  });
});

describe('scrubUrl', () => {
  it('drops the child id from a path and the whole query string', () => {
    expect(scrubUrl('/v1/children/C-1029/transfers?authority=demo')).toBe('/v1/children/:childId/transfers');
  });
});

describe('LOG_FORMAT', () => {
  const config = (logFormat: RuntimeConfig['logFormat']) => ({ logLevel: 'info', logFormat }) as RuntimeConfig;

  it('json: pino writes its own JSON lines; pretty: they go through pino-pretty', () => {
    expect(Array.isArray(loggerParams(config('json')).pinoHttp)).toBe(false);
    const [options, stream] = loggerParams(config('pretty')).pinoHttp as [Options, unknown];
    expect(options.redact).toEqual({ paths: REDACTED_PATHS, censor: '[redacted]' });
    expect(stream).toHaveProperty('write');
  });

  /** What a person at the terminal sees, without colours or a time. */
  const prettyLines = (log: (logger: pino.Logger) => void): string[] => {
    let text = '';
    const out = new Writable({ write: (chunk, _, done) => ((text += chunk), done()) });
    const logger = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, timestamp: false }, pretty.build({ ...PRETTY_OPTIONS, colorize: false, sync: true, destination: out }));
    log(logger);
    return text.split('\n').filter(Boolean);
  };

  it('pretty: one line per event, the context in words, the other fields compact on the same line', () => {
    expect(
      prettyLines((logger) => {
        logger.info({ context: 'intake', eventId: 'hmac:0123456789abcdef', type: 'ICPCHeld' }, 'case event recorded');
        logger.warn({ context: 'read-models' }, 'reporting projection failed (attempt 2); it will be retried: Error');
      }),
    ).toEqual([
      'INFO: intake: case event recorded {"eventId":"hmac:0123456789abcdef","type":"ICPCHeld"}',
      'WARN: read-models: reporting projection failed (attempt 2); it will be retried: Error',
    ]);
  });

  it('pretty: a request is its method, path, status and time', () => {
    const req = { id: 1, method: 'POST', url: '/v1/case-events' };
    expect(
      prettyLines((logger) => {
        logger.info({ req, res: { statusCode: 202 }, responseTime: 14 }, 'request completed');
        logger.error({ req, res: { statusCode: 500 }, responseTime: 3 }, 'request errored');
      }),
    ).toEqual(['INFO: POST /v1/case-events 202 (14 ms)', 'ERROR: request errored: POST /v1/case-events 500 (3 ms)']);
  });

  it('pretty: the redact list applies as it does to JSON', () => {
    const [line] = prettyLines((logger) => logger.info({ context: 'intake', childId: 'C-1029', data: { outcome: 'cp-plan' } }, 'case event recorded'));
    expect(line).not.toContain('C-1029');
    expect(line).not.toContain('cp-plan');
    expect(line).toContain('"childId":"[redacted]"');
  });
});

describe('QuietStartLogger', () => {
  const calls: [string, unknown[]][] = [];
  const record = (level: string) => (message: unknown, ...params: unknown[]) => void calls.push([level, [message, ...params]]);
  const logger = new QuietStartLogger({ log: record('info'), debug: record('debug'), error: record('error'), warn: record('warn') });
  beforeEach(() => (calls.length = 0));

  it("moves Nest's start-up lines to debug, so a normal start says nothing at info", () => {
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.log('Mapped {/health, GET} route', 'RouterExplorer');
    logger.log('Nest application successfully started', 'NestApplication');
    expect(calls.map(([level]) => level)).toEqual(['debug', 'debug', 'debug']);
  });

  it("keeps the application's own lines, and every warning and error, where they were", () => {
    logger.log({ eventId: 'hmac:0123456789abcdef' }, 'case event recorded', 'intake');
    logger.warn('slow', 'InstanceLoader');
    logger.error('failed', 'stack', 'NestApplication');
    expect(calls).toEqual([
      ['info', [{ eventId: 'hmac:0123456789abcdef' }, 'case event recorded', 'intake']],
      ['warn', ['slow', 'InstanceLoader']],
      ['error', ['failed', 'stack', 'NestApplication']],
    ]);
  });
});

describe('kafkaBusLogger', () => {
  afterEach(() => jest.restoreAllMocks());

  it("hands the Kafka bus's lines to the application's logger, context kafka, at the bus's level", () => {
    const seen: [string, unknown[]][] = [];
    for (const level of ['error', 'warn', 'log', 'debug'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation(function (this: Logger, ...args: unknown[]) {
        seen.push([level, [...args, (this as unknown as { context: string }).context]]);
      });
    }
    const logger = kafkaBusLogger();
    logger.error({ groupId: 'g' }, 'consumer crashed');
    logger.warn({ topic: 't' }, 'commit failed');
    logger.info({ broker: 'b' }, 'kafkajs: Consumer has joined the group');
    logger.debug({ reason: 'why' }, 'handler failed');
    expect(seen).toEqual([
      ['error', [{ groupId: 'g' }, 'consumer crashed', 'kafka']],
      ['warn', [{ topic: 't' }, 'commit failed', 'kafka']],
      ['log', [{ broker: 'b' }, 'kafkajs: Consumer has joined the group', 'kafka']],
      ['debug', [{ reason: 'why' }, 'handler failed', 'kafka']],
    ]);
  });
});
