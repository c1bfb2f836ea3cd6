/**
 * Every setting comes from the environment, validated once at boot (STYLE.md "Config"). Only this
 * file reads process.env. A bad setting stops the process with every problem listed.
 */
import { resolve } from 'node:path';

export interface RuntimeConfig {
  production: boolean;
  port: number;
  /** When set, the PostgreSQL adapter; otherwise the embedded PGlite file store under dataDir. */
  databaseUrl?: string;
  /** Kafka brokers (KAFKA_BROKERS, host:port comma-separated): the Kafka bus instead of the in-process one. */
  kafkaBrokers?: string[];
  /** PostgreSQL schema for the tables (default: the connection's search_path, normally public). */
  databaseSchema?: string;
  dataDir: string;
  policiesDir: string;
  /** Pack ids in force (POLICY_PACKS, comma-separated); undefined: every pack in policiesDir. */
  policyPacks?: string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** How often store subscriptions look for new events when not woken (ms). */
  pollIntervalMs: number;
}

export class ConfigInvalid extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): RuntimeConfig {
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
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
  const databaseSchema = env.DATABASE_SCHEMA || undefined;
  if (databaseSchema && !/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema)) problems.push('DATABASE_SCHEMA must be a lower-case SQL identifier');
  if (databaseSchema && !databaseUrl) problems.push('DATABASE_SCHEMA needs DATABASE_URL');
  const kafkaBrokers = env.KAFKA_BROKERS ? env.KAFKA_BROKERS.split(',').map((b) => b.trim()).filter(Boolean) : undefined;
  if (kafkaBrokers?.some((b) => !/^[A-Za-z0-9.-]+:\d{1,5}$/.test(b))) problems.push(`KAFKA_BROKERS="${env.KAFKA_BROKERS}" must be host:port pairs separated by commas`);
  const policyPacks = env.POLICY_PACKS ? env.POLICY_PACKS.split(',').map((p) => p.trim()).filter(Boolean) : undefined;
  if (policyPacks?.some((p) => !/^[a-z0-9][a-z0-9-]*$/.test(p))) problems.push(`POLICY_PACKS="${env.POLICY_PACKS}" must be pack ids separated by commas`);
  if (problems.length) throw new ConfigInvalid(problems);
  return {
    production: nodeEnv === 'production',
    port,
    databaseUrl,
    databaseSchema,
    ...(kafkaBrokers ? { kafkaBrokers } : {}),
    dataDir: resolve(cwd, env.DATA_DIR ?? 'data'),
    policiesDir: resolve(cwd, env.POLICIES_DIR ?? resolve(__dirname, '../../../policies')),
    ...(policyPacks ? { policyPacks } : {}),
    logLevel,
    pollIntervalMs,
  };
}
