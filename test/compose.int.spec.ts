/**
 * docker-compose.yml cannot be run here (no Docker engine), so its wiring is checked against the
 * repository instead: every service process has a container whose command exists, and each
 * container gets the settings that process refuses to start without.
 *
 * Containers run compiled JavaScript: deploy/Dockerfile runs `npm run build`, which writes
 * `dist/<path>.js` for every `<path>.ts` (deploy/build/build.js), so a command's file is checked
 * through the source it is compiled from.
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
const dockerfile = readFileSync(join(root, 'deploy/Dockerfile'), 'utf8');
/** `dist/services/intake/src/main.js` → `services/intake/src/main.ts`; undefined for anything else. */
const compiledFrom = (file: string): string | undefined => /^dist\/(.+)\.js$/.exec(file)?.[1]?.concat('.ts');
const serviceProcesses = readdirSync(join(root, 'services')).filter((s) => existsSync(join(root, 'services', s, 'src', 'main.ts')) && s !== 'embedded');

describe('docker-compose.yml', () => {
  it('has a container for each service process', () => {
    expect(serviceProcesses.sort()).toEqual(['allocation', 'checklist', 'escalation', 'intake', 'query']);
    for (const s of serviceProcesses) expect(compose.services[s]?.command).toEqual(['node', `dist/services/${s}/src/main.js`]);
  });

  it('runs only compiled programs, each built from a source that exists', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (!service.command) continue;
      const source = compiledFrom(service.command[1]);
      expect({ name, program: service.command[0], source: source && existsSync(join(root, source)) }).toEqual({ name, program: 'node', source: true });
    }
  });

  it('builds the image with npm run build after copying the sources, and starts the compiled embedded app by default', () => {
    expect(scripts.build).toBe('node deploy/build/build.js');
    expect(dockerfile.indexOf('RUN npm run build')).toBeGreaterThan(dockerfile.indexOf('COPY . .'));
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
    // With npm start's young-generation cap (deploy/build/start.js says why; bench/README.md section 6).
    expect(cmd).toEqual(['node', '--max-semi-space-size=2', 'dist/services/embedded/src/main.js']);
    expect(scripts.start).toBe('node --max-semi-space-size=2 deploy/build/start.js');
    expect(existsSync(join(root, compiledFrom(cmd[2])!))).toBe(true);
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
    const ours = Object.entries(compose.services).filter(([, service]) => service.command?.[0] === 'node');
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
