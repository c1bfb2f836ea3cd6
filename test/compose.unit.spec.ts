/**
 * docker-compose.yml cannot be run here (no Docker engine), so its wiring is checked against the
 * repository instead: every service process has a container whose command exists, and each
 * container gets the settings that process refuses to start without.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '@cto/runtime';

const configProblems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
};

const root = resolve(__dirname, '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { command?: string[]; environment?: Record<string, string>; depends_on?: Record<string, { condition: string }>; healthcheck?: unknown; image?: string }>;
};
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const serviceProcesses = readdirSync(join(root, 'services')).filter((s) => existsSync(join(root, 'services', s, 'src', 'main.ts')) && s !== 'embedded');

describe('docker-compose.yml', () => {
  it('has a container for each service process', () => {
    expect(serviceProcesses.sort()).toEqual(['allocation', 'checklist', 'escalation', 'intake', 'query']);
    for (const s of serviceProcesses) expect(compose.services[s]?.command).toEqual(['npm', 'run', `start:${s}`]);
  });

  it('runs only npm scripts that exist, each pointing at a file that exists', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (!service.command) continue;
      const script = scripts[service.command[2]];
      expect({ name, script: Boolean(script) }).toEqual({ name, script: true });
      const file = /(\S+\.ts)\b/.exec(script)?.[1];
      if (file) expect({ name, file, exists: existsSync(join(root, file)) }).toEqual({ name, file, exists: true });
    }
  });

  it('gives every service PostgreSQL, Kafka, a signing key and the log id key, and starts it after the migration and a healthy broker', () => {
    for (const s of serviceProcesses) {
      expect(Object.keys(compose.services[s].environment ?? {})).toEqual(expect.arrayContaining(['DATABASE_URL', 'KAFKA_BROKERS', 'AUTH_JWT_SECRET', 'LOG_ID_KEY', 'NODE_ENV']));
      expect(compose.services[s].depends_on).toMatchObject({ migrate: { condition: 'service_completed_successfully' }, kafka: { condition: 'service_healthy' } });
    }
    expect(compose.services.postgres.healthcheck).toBeDefined();
    expect(compose.services.kafka.healthcheck).toBeDefined();
  });

  it('gives every container of our image a configuration the process accepts (the migration too)', () => {
    // `${VAR:?message}` is for the operator to fill in; a 48-byte value stands in for it here.
    const filled = (value: string) => (/^\$\{[A-Z_]+:\?/.test(value) ? 'x'.repeat(48) : value);
    const ours = Object.entries(compose.services).filter(([, service]) => service.command?.[0] === 'npm');
    expect(ours.map(([name]) => name).sort()).toEqual([...serviceProcesses, 'migrate'].sort());
    for (const [name, service] of ours) {
      const env = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, filled(String(v))]));
      expect({ name, problems: configProblems(env) }).toEqual({ name, problems: [] });
    }
  });

  it('runs the same Kafka line as deploy/kafka', () => {
    const pom = readFileSync(join(root, 'deploy/kafka/pom.xml'), 'utf8');
    const version = /<kafka.version>([^<]+)<\/kafka.version>/.exec(pom)?.[1];
    expect(compose.services.kafka.image).toBe(`apache/kafka:${version}`);
  });
});
