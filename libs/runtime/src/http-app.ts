import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { developmentTokenNotice } from '@cto/access-control';
import type { PackRegistry } from '@cto/policy-packs';
import { ConfigInvalid, loadConfig, type RuntimeConfig } from './config';
import { noStore, refuseByteOrderMark, requireJsonBodies, securityHeaders } from './http-edge';
import { HttpErrorFilter } from './http-errors';
import { PACK_REGISTRY } from './tokens';
import { dtoValidationPipe } from './validation';

/** One way every process builds its HTTP application: logging, headers, JSON bodies only, validation, errors, body limit. */
export async function createHttpApp(root: DynamicModule): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(root, {
    bufferLogs: true,
    // A failed start throws to the caller (main prints why and exits), instead of Nest's process.exit.
    abortOnError: false,
    // Only the JSON parser below: Nest's default would also parse form-encoded bodies.
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.use(securityHeaders());
  app.use('/v1', noStore);
  app.use(requireJsonBodies);
  // 500 case events of realistic size fit comfortably; anything larger is refused with 413.
  app.useBodyParser('json', { limit: '2mb', verify: refuseByteOrderMark });
  app.useGlobalPipes(dtoValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  return app;
}

/** main() of every process: configuration checked first, then listen, or say why not and exit. */
export async function runProcess(
  name: string,
  build: (config: RuntimeConfig) => Promise<INestApplication>,
  options: { requireDatabase?: boolean } = {},
): Promise<void> {
  try {
    const config = loadConfig();
    if (options.requireDatabase && !config.databaseUrl) {
      throw new ConfigInvalid([`DATABASE_URL is required: ${name} runs as its own process and shares PostgreSQL with the others (the embedded store is one process's only)`]);
    }
    const app = await build(config);
    await app.listen(config.port);
    const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
    const store = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
    const bus = config.kafkaBrokers ? `Kafka ${config.kafkaBrokers.join(',')}` : 'in-process bus';
    process.stdout.write(`${name} listening on ${url} — store: ${store}; bus: ${bus}\n`);
    // On stdout, not in the log: a token must never reach log files (STYLE.md "Logging").
    const notice = await developmentTokenNotice(config.auth, app.get<PackRegistry>(PACK_REGISTRY).authorities());
    // One write: the logger writes to the same stream on its own schedule, and a log line between
    // the notice and its token would split what a person copies (and what npm-start.e2e reads).
    if (notice.length) process.stdout.write(notice.map((line) => `${line}\n`).join(''));
  } catch (error) {
    process.stderr.write(`${name} failed to start: ${(error as Error).message}\n`);
    process.exit(error instanceof ConfigInvalid ? 2 : 1);
  }
}
