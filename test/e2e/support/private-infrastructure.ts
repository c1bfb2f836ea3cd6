/**
 * A PostgreSQL cluster and a Kafka broker of a test's own, on ports of its own, so a fault test can
 * stop and restart them without pulling the shared ones from under the other tests running at the
 * same time. PostgreSQL comes from the installed server binaries (initdb, pg_ctl; as the postgres
 * user when the tests run as root, which the server refuses), Kafka from deploy/kafka.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');

export interface Restartable {
  stop(): void;
  start(): void;
  /** Stops it and removes everything it wrote. */
  dispose(): void;
}

/** The newest installed PostgreSQL server's bin directory, or why there is none. */
export function postgresBinaries(): string | Error {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))) : [];
  if (!versions.length) return new Error(`no PostgreSQL server binaries under ${base} (deploy/postgres/ensure-postgres.sh installs them)`);
  return join(base, versions.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

export function privatePostgres(port: number): Restartable & { url: string } {
  const bin = postgresBinaries();
  if (bin instanceof Error) throw bin;
  const dir = mkdtempSync(join(tmpdir(), 'cto-fault-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, uidOf('postgres'), gidOf('postgres'));
  const run = (command: string, args: string[]) =>
    asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, command), ...args], { stdio: 'pipe' }) : execFileSync(join(bin, command), args, { stdio: 'pipe' });
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const start = () => run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    dispose: () => {
      try {
        stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function privateKafka(port: number, controllerPort: number): Restartable & { brokers: string } {
  mkdirSync(join(root, 'tmp'), { recursive: true });
  const runDir = mkdtempSync(join(root, 'tmp', 'kafka-fault-'));
  const env = { ...process.env, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controllerPort), KAFKA_RUN_DIR: runDir, KAFKA_KEEP_DATA: '1', KAFKA_STOP_TIMEOUT: '20' };
  const start = () => void execFileSync(join(root, 'deploy/kafka/start.sh'), { env, stdio: 'pipe' });
  const stop = () => void execFileSync(join(root, 'deploy/kafka/stop.sh'), { env, stdio: 'pipe' });
  start();
  return {
    brokers: `127.0.0.1:${port}`,
    start,
    stop,
    dispose: () => {
      try {
        stop();
      } finally {
        rmSync(runDir, { recursive: true, force: true });
      }
    },
  };
}

const uidOf = (user: string) => Number(execFileSync('id', ['-u', user]).toString().trim());
const gidOf = (user: string) => Number(execFileSync('id', ['-g', user]).toString().trim());
