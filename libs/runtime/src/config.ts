/**
 * Every setting comes from the environment, validated once at boot (STYLE.md "Config"). Only this
 * file reads process.env. A bad setting stops the process with every problem listed.
 */
import { createPublicKey, randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER, type AccessControlSettings, type VerificationKey } from '@cto/access-control';

export interface RuntimeConfig {
  production: boolean;
  port: number;
  /** When set, the PostgreSQL adapter; otherwise the embedded PGlite file store under dataDir. */
  databaseUrl?: string;
  /** Kafka brokers (KAFKA_BROKERS, host:port comma-separated): the Kafka bus instead of the in-process one. */
  kafkaBrokers?: string[];
  /**
   * KAFKA_TOPIC_PREFIX: put before every topic and consumer group name, so deployments sharing a
   * cluster never share a topic or a group (namespaced-bus.ts). Default: none.
   */
  kafkaTopicPrefix?: string;
  /**
   * KAFKA_PARTITIONS: partitions of each topic the services create (one that exists keeps its own).
   * The most instances of a consumer group that share its work. Default 3.
   */
  kafkaPartitions: number;
  /** PostgreSQL schema for the tables (default: the connection's search_path, normally public). */
  databaseSchema?: string;
  dataDir: string;
  policiesDir: string;
  /** Pack ids in force (POLICY_PACKS, comma-separated); undefined: every pack in policiesDir. */
  policyPacks?: string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * LOG_FORMAT: `pretty`, one readable line per event, for a person at a terminal; `json`, one JSON
   * object per line, for machines. Unset: pretty when stdout is a terminal outside production,
   * else json. Production is always json (pretty is refused there: pino-pretty is a development
   * dependency, and a log collector reads JSON).
   */
  logFormat: 'pretty' | 'json';
  /** How often store subscriptions look for new events when not woken (ms). */
  pollIntervalMs: number;
  /** Bearer tokens: the key that verifies them, issuer and audience, and the write rate limit. */
  auth: AccessControlSettings;
  /**
   * CLOCK_START (outside production): the instant the clock reads at start-up, running on from
   * there, as if POST /v1/admin/clock had been called before anything else ran: a demonstration or
   * a test starts on its own day, and no timer fires on the real day first.
   */
  clockStart?: string;
  /**
   * LOG_ID_KEY: the key of the keyed hash that stands in logs above debug for an id a client chose
   * (see logId in logging.ts). Required in production, so every process of a deployment hashes an id
   * alike, across restarts; elsewhere, when unset, a random key for the process's life.
   */
  logIdKey: Uint8Array;
}

export class ConfigInvalid extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['pretty', 'json'] as const;

/** `terminal`: whether stdout is a terminal (a person reading), which LOG_FORMAT defaults by. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd(), terminal = process.stdout.isTTY === true): RuntimeConfig {
  const problems: string[] = [];
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) problems.push(`${name}="${raw}" must be a whole number from ${min} to ${max}`);
    return n;
  };
  const nodeEnv = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnv)) problems.push(`NODE_ENV="${nodeEnv}" must be development, production or test`);
  const port = integer('PORT', 3000, 0, 65535);
  const pollIntervalMs = integer('POLL_INTERVAL_MS', 250, 10, 60000);
  const logLevel = (env.LOG_LEVEL ?? 'info') as RuntimeConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL="${env.LOG_LEVEL}" must be one of ${LOG_LEVELS.join(', ')}`);
  const logFormat = (env.LOG_FORMAT || (terminal && nodeEnv !== 'production' ? 'pretty' : 'json')) as RuntimeConfig['logFormat'];
  if (!LOG_FORMATS.includes(logFormat)) problems.push(`LOG_FORMAT="${env.LOG_FORMAT}" must be one of ${LOG_FORMATS.join(', ')}`);
  else if (logFormat === 'pretty' && nodeEnv === 'production') problems.push('LOG_FORMAT=pretty is refused in production (NODE_ENV=production): production logs are JSON, one object per line');
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
  const databaseSchema = env.DATABASE_SCHEMA || undefined;
  if (databaseSchema && !/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema)) problems.push('DATABASE_SCHEMA must be a lower-case SQL identifier');
  if (databaseSchema && !databaseUrl) problems.push('DATABASE_SCHEMA needs DATABASE_URL');
  const kafkaBrokers = env.KAFKA_BROKERS ? env.KAFKA_BROKERS.split(',').map((b) => b.trim()).filter(Boolean) : undefined;
  if (kafkaBrokers?.some((b) => !/^[A-Za-z0-9.-]+:\d{1,5}$/.test(b))) problems.push(`KAFKA_BROKERS="${env.KAFKA_BROKERS}" must be host:port pairs separated by commas`);
  const kafkaPartitions = integer('KAFKA_PARTITIONS', 3, 1, 1000);
  const kafkaTopicPrefix = env.KAFKA_TOPIC_PREFIX || undefined;
  // Kafka's legal topic characters, less what would make a prefix read as part of a name.
  if (kafkaTopicPrefix && !/^[A-Za-z0-9._-]{1,100}$/.test(kafkaTopicPrefix)) problems.push(`KAFKA_TOPIC_PREFIX="${kafkaTopicPrefix}" may hold only letters, digits, '.', '_' and '-' (at most 100)`);
  if (kafkaTopicPrefix && !kafkaBrokers) problems.push('KAFKA_TOPIC_PREFIX needs KAFKA_BROKERS');
  const policyPacks = env.POLICY_PACKS ? env.POLICY_PACKS.split(',').map((p) => p.trim()).filter(Boolean) : undefined;
  if (policyPacks?.some((p) => !/^[a-z0-9][a-z0-9-]*$/.test(p))) problems.push(`POLICY_PACKS="${env.POLICY_PACKS}" must be pack ids separated by commas`);
  const auth = authSettings(env, nodeEnv === 'production', problems, integer('RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000));
  const clockStart = env.CLOCK_START || undefined;
  const isInstant = (text: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) && !Number.isNaN(Date.parse(text));
  if (clockStart && nodeEnv === 'production') problems.push('CLOCK_START is refused in production (NODE_ENV=production): the clock there is the real one');
  else if (clockStart && !isInstant(clockStart)) problems.push(`CLOCK_START="${clockStart}" must be an ISO 8601 instant with an offset, e.g. 2026-06-01T09:00:00Z`);
  const logIdKey = logIdKeyFrom(env.LOG_ID_KEY || undefined, nodeEnv === 'production', problems);
  if (problems.length) throw new ConfigInvalid(problems);
  return {
    production: nodeEnv === 'production',
    port,
    databaseUrl,
    databaseSchema,
    ...(kafkaBrokers ? { kafkaBrokers } : {}),
    ...(kafkaTopicPrefix ? { kafkaTopicPrefix } : {}),
    kafkaPartitions,
    dataDir: resolve(cwd, env.DATA_DIR ?? 'data'),
    policiesDir: resolve(cwd, env.POLICIES_DIR ?? resolve(__dirname, '../../../policies')),
    ...(policyPacks ? { policyPacks } : {}),
    logLevel,
    logFormat,
    pollIntervalMs,
    auth: auth!,
    ...(clockStart ? { clockStart } : {}),
    logIdKey,
  };
}

/** An HMAC key at least as long as its hash (RFC 2104 §3), as for AUTH_JWT_SECRET. */
function logIdKeyFrom(value: string | undefined, production: boolean, problems: string[]): Uint8Array {
  if (value === undefined) {
    if (production) problems.push('LOG_ID_KEY is required in production (NODE_ENV=production): it keys the hash that stands for client-chosen ids in the logs; e.g. openssl rand -base64 48');
    return new Uint8Array(randomBytes(MIN_SECRET_BYTES));
  }
  const bytes = new TextEncoder().encode(value);
  if (bytes.length < MIN_SECRET_BYTES) problems.push(`LOG_ID_KEY must be at least ${MIN_SECRET_BYTES} bytes (it has ${bytes.length}); e.g. openssl rand -base64 48`);
  return bytes;
}

/** HS256 needs a secret at least as long as its hash (RFC 7518 §3.2). */
const MIN_SECRET_BYTES = 32;

function authSettings(
  env: Record<string, string | undefined>,
  production: boolean,
  problems: string[],
  rateLimitPerMinute: number,
): AccessControlSettings | undefined {
  const secret = env.AUTH_JWT_SECRET || undefined;
  // A PEM in one environment variable often arrives with its line breaks written as \n.
  const publicKeyPem = env.AUTH_JWT_PUBLIC_KEY ? env.AUTH_JWT_PUBLIC_KEY.replace(/\\n/g, '\n').trim() : undefined;
  const issuer = env.AUTH_ISSUER ?? DEFAULT_ISSUER;
  const audience = env.AUTH_AUDIENCE ?? DEFAULT_AUDIENCE;
  if (!issuer.trim()) problems.push('AUTH_ISSUER must not be empty');
  if (!audience.trim()) problems.push('AUTH_AUDIENCE must not be empty');
  let key: VerificationKey | undefined;
  if (secret && publicKeyPem) {
    problems.push('AUTH_JWT_SECRET and AUTH_JWT_PUBLIC_KEY are both set: set exactly one (a shared secret for HS256, or the issuer\'s public key for RS256/ES256)');
  } else if (secret) {
    const bytes = new TextEncoder().encode(secret);
    if (bytes.length < MIN_SECRET_BYTES) problems.push(`AUTH_JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes (it has ${bytes.length}); e.g. openssl rand -base64 48`);
    key = { algorithm: 'HS256', secret: bytes };
  } else if (publicKeyPem) {
    key = publicKeyFrom(publicKeyPem, problems);
  } else if (production) {
    problems.push('AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY is required in production (NODE_ENV=production): without a key no request can be authenticated');
  }
  if (problems.length) return undefined;
  if (key) return { key, issuer, audience, ephemeral: false, rateLimitPerMinute };
  // Development only: a key for this process's life, and a token printed at start (see runProcess).
  return { key: { algorithm: 'HS256', secret: new Uint8Array(randomBytes(MIN_SECRET_BYTES)) }, issuer, audience, ephemeral: true, rateLimitPerMinute };
}

/** RS256 for an RSA key of 2048 bits or more, ES256 for a P-256 key; anything else is refused at boot. */
function publicKeyFrom(pem: string, problems: string[]): VerificationKey | undefined {
  if (!/^-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----$/.test(pem)) {
    problems.push('AUTH_JWT_PUBLIC_KEY must be a PEM SPKI public key (-----BEGIN PUBLIC KEY----- … -----END PUBLIC KEY-----)');
    return undefined;
  }
  try {
    const key = createPublicKey({ key: pem, format: 'pem' });
    const details = key.asymmetricKeyDetails ?? {};
    if (key.asymmetricKeyType === 'rsa') {
      if ((details.modulusLength ?? 0) < 2048) problems.push(`AUTH_JWT_PUBLIC_KEY is an RSA key of ${details.modulusLength} bits; at least 2048 are required`);
      return { algorithm: 'RS256', publicKeyPem: pem };
    }
    if (key.asymmetricKeyType === 'ec' && details.namedCurve === 'prime256v1') return { algorithm: 'ES256', publicKeyPem: pem };
    problems.push(`AUTH_JWT_PUBLIC_KEY must be an RSA (RS256) or P-256 EC (ES256) key, not ${key.asymmetricKeyType}${details.namedCurve ? ` ${details.namedCurve}` : ''}`);
  } catch {
    problems.push('AUTH_JWT_PUBLIC_KEY could not be read as a PEM public key');
  }
  return undefined;
}
