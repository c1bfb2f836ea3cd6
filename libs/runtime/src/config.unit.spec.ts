/**
 * The access-control settings from the environment: exactly one key, refused at boot when weak or
 * unreadable, required in production, and generated for the process's life elsewhere; LOG_ID_KEY
 * likewise. And CLOCK_START: a demonstration or a test starts on its own day, outside production only.
 */
import { generateKeyPairSync } from 'node:crypto';
import { AdjustableClock } from './clock';
import { ConfigInvalid, loadConfig } from './config';

const SECRET = 's'.repeat(32);
const spki = (key: ReturnType<typeof generateKeyPairSync>['publicKey']): string => key.export({ type: 'spki', format: 'pem' }).toString();

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigInvalid) return error.problems;
    throw error;
  }
  return [];
};

describe('production', () => {
  it('refuses to start without a key, saying which variables to set', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigInvalid);
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY is required in production/),
      expect.stringMatching(/LOG_ID_KEY is required in production/),
    ]);
  });

  it('starts with a secret, never with an ephemeral key', () => {
    expect(loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET, LOG_ID_KEY: SECRET }).auth).toMatchObject({ ephemeral: false, key: { algorithm: 'HS256' } });
  });
});

describe('outside production', () => {
  it('generates a 32-byte HS256 secret of its own at each start when no key is set', () => {
    const first = loadConfig({}).auth;
    const second = loadConfig({ NODE_ENV: 'test' }).auth;
    expect(first).toMatchObject({ ephemeral: true, key: { algorithm: 'HS256' }, issuer: 'case-transfer-orchestration', audience: 'case-transfer-orchestration', rateLimitPerMinute: 600 });
    expect(first.key.algorithm === 'HS256' && first.key.secret.length).toBe(32);
    expect(first.key).not.toEqual(second.key);
  });
});

describe('AUTH_JWT_SECRET', () => {
  it('must be at least 32 bytes', () => {
    expect(problemsOf({ AUTH_JWT_SECRET: 'short' })).toEqual([expect.stringMatching(/AUTH_JWT_SECRET must be at least 32 bytes \(it has 5\)/)]);
    expect(loadConfig({ AUTH_JWT_SECRET: SECRET }).auth.key).toEqual({ algorithm: 'HS256', secret: new TextEncoder().encode(SECRET) });
  });

  it('is refused together with AUTH_JWT_PUBLIC_KEY', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(problemsOf({ AUTH_JWT_SECRET: SECRET, AUTH_JWT_PUBLIC_KEY: spki(publicKey) })).toEqual([expect.stringMatching(/both set: set exactly one/)]);
  });
});

describe('AUTH_JWT_PUBLIC_KEY', () => {
  it('an RSA key of 2048 bits means RS256, a P-256 key ES256', () => {
    const rsa = spki(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey);
    const ec = spki(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
    expect(loadConfig({ NODE_ENV: 'production', AUTH_JWT_PUBLIC_KEY: rsa, LOG_ID_KEY: SECRET }).auth).toMatchObject({ ephemeral: false, key: { algorithm: 'RS256', publicKeyPem: rsa.trim() } });
    expect(loadConfig({ AUTH_JWT_PUBLIC_KEY: ec }).auth.key).toMatchObject({ algorithm: 'ES256' });
  });

  it('may arrive on one line with its line breaks written as \\n', () => {
    const ec = spki(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
    expect(loadConfig({ AUTH_JWT_PUBLIC_KEY: ec.trim().replace(/\n/g, '\\n') }).auth.key).toEqual({ algorithm: 'ES256', publicKeyPem: ec.trim() });
  });

  it('refuses what is not a usable SPKI public key', () => {
    expect(problemsOf({ AUTH_JWT_PUBLIC_KEY: 'not a key' })).toEqual([expect.stringMatching(/must be a PEM SPKI public key/)]);
    expect(problemsOf({ AUTH_JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' })).toEqual([expect.stringMatching(/could not be read/)]);
    expect(problemsOf({ AUTH_JWT_PUBLIC_KEY: spki(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey) })).toEqual([expect.stringMatching(/RSA key of 1024 bits; at least 2048/)]);
    expect(problemsOf({ AUTH_JWT_PUBLIC_KEY: spki(generateKeyPairSync('ed25519').publicKey) })).toEqual([expect.stringMatching(/RSA \(RS256\) or P-256 EC \(ES256\) key, not ed25519/)]);
    expect(problemsOf({ AUTH_JWT_PUBLIC_KEY: spki(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey) })).toEqual([expect.stringMatching(/not ec secp384r1/)]);
  });
});

describe('issuer, audience, rate limit', () => {
  it('take the environment, and list every bad one with the rest', () => {
    expect(loadConfig({ AUTH_ISSUER: 'https://idp.example', AUTH_AUDIENCE: 'cto-api', RATE_LIMIT_PER_MINUTE: '50' }).auth).toMatchObject({ issuer: 'https://idp.example', audience: 'cto-api', rateLimitPerMinute: 50 });
    expect(problemsOf({ AUTH_ISSUER: ' ', RATE_LIMIT_PER_MINUTE: '0', PORT: 'x', NODE_ENV: 'production' })).toEqual([
      'PORT="x" must be a whole number from 0 to 65535',
      'RATE_LIMIT_PER_MINUTE="0" must be a whole number from 1 to 1000000',
      'AUTH_ISSUER must not be empty',
      expect.stringMatching(/AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY is required in production/),
      expect.stringMatching(/LOG_ID_KEY is required in production/),
    ]);
  });
});

describe('Kafka: KAFKA_TOPIC_PREFIX, KAFKA_PARTITIONS', () => {
  it('take the environment, with 3 partitions and no prefix by default', () => {
    expect(loadConfig({ KAFKA_BROKERS: 'k:9092' })).toMatchObject({ kafkaBrokers: ['k:9092'], kafkaPartitions: 3 });
    expect(loadConfig({ KAFKA_BROKERS: 'k:9092' }).kafkaTopicPrefix).toBeUndefined();
    expect(loadConfig({ KAFKA_BROKERS: 'k:9092', KAFKA_TOPIC_PREFIX: 'staging.', KAFKA_PARTITIONS: '12' })).toMatchObject({ kafkaTopicPrefix: 'staging.', kafkaPartitions: 12 });
  });

  it('refuse a prefix Kafka cannot name a topic with, a prefix without brokers, and a partition count out of range', () => {
    expect(problemsOf({ KAFKA_BROKERS: 'k:9092', KAFKA_TOPIC_PREFIX: 'a b/', KAFKA_PARTITIONS: '0' })).toEqual([
      'KAFKA_PARTITIONS="0" must be a whole number from 1 to 1000',
      expect.stringMatching(/^KAFKA_TOPIC_PREFIX="a b\/" may hold only letters, digits/),
    ]);
    expect(problemsOf({ KAFKA_TOPIC_PREFIX: 'staging.' })).toEqual(['KAFKA_TOPIC_PREFIX needs KAFKA_BROKERS']);
  });
});

describe('LOG_ID_KEY', () => {
  it('keys the hash of client-chosen ids in the logs: at least 32 bytes', () => {
    expect(loadConfig({ LOG_ID_KEY: SECRET }).logIdKey).toEqual(new TextEncoder().encode(SECRET));
    expect(problemsOf({ LOG_ID_KEY: 'short' })).toEqual([expect.stringMatching(/LOG_ID_KEY must be at least 32 bytes \(it has 5\)/)]);
  });

  it('outside production, when unset, is a random key of 32 bytes for the process', () => {
    const first = loadConfig({}).logIdKey;
    expect(first).toHaveLength(32);
    expect(loadConfig({}).logIdKey).not.toEqual(first);
  });
});

describe('CLOCK_START', () => {
  it('is read as the instant the clock starts from', () => {
    expect(loadConfig({ CLOCK_START: '2026-06-01T09:00:00Z' }).clockStart).toBe('2026-06-01T09:00:00Z');
    expect(loadConfig({}).clockStart).toBeUndefined();
  });

  it('refuses what is not an instant with an offset, saying how to write one', () => {
    for (const bad of ['2026-06-01', 'tomorrow', '2026-13-40T09:00:00Z', '2026-06-01T09:00:00']) {
      expect(problemsOf({ CLOCK_START: bad })).toEqual([expect.stringMatching(/must be an ISO 8601 instant with an offset, e\.g\. 2026-06-01T09:00:00Z/)]);
    }
  });

  it('is refused in production', () => {
    expect(problemsOf({ NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET, LOG_ID_KEY: SECRET, CLOCK_START: '2026-06-01T09:00:00Z' })).toEqual([
      expect.stringMatching(/CLOCK_START is refused in production/),
    ]);
  });

  it('runs on from the set instant', () => {
    let system = 1_000_000;
    const clock = new AdjustableClock(() => system);
    clock.set('2026-06-01T09:00:00Z');
    system += 90_000;
    expect(clock.now()).toBe('2026-06-01T09:01:30.000Z');
  });
});

describe('LOG_FORMAT', () => {
  const production = { NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET, LOG_ID_KEY: SECRET };
  const formatOf = (env: Record<string, string>, terminal: boolean) => loadConfig(env, process.cwd(), terminal).logFormat;

  it('is pretty for a person at a terminal, JSON when stdout is not a terminal', () => {
    expect(formatOf({}, true)).toBe('pretty');
    expect(formatOf({ NODE_ENV: 'test' }, true)).toBe('pretty');
    expect(formatOf({}, false)).toBe('json');
  });

  it('is JSON in production, even at a terminal', () => {
    expect(formatOf(production, true)).toBe('json');
  });

  it('is what LOG_FORMAT says, terminal or not', () => {
    expect(formatOf({ LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(formatOf({ LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
    expect(formatOf({ ...production, LOG_FORMAT: 'json' }, true)).toBe('json');
  });

  it('refuses anything else, and pretty in production', () => {
    expect(problemsOf({ LOG_FORMAT: 'text' })).toEqual([expect.stringMatching(/LOG_FORMAT="text" must be one of pretty, json/)]);
    expect(problemsOf({ ...production, LOG_FORMAT: 'pretty' })).toEqual([expect.stringMatching(/LOG_FORMAT=pretty is refused in production/)]);
  });
});
