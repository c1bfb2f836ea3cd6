import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { developmentTokenNotice } from '@cto/access-control';
import type { MessageBus } from '@cto/messaging';
import type { PackRegistry } from '@cto/policy-packs';
import { BusTransport } from './bus-transport';
import { ConfigInvalid, loadConfig, type RuntimeConfig } from './config';
import { noStore, refuseByteOrderMark, requireJsonBodies, securityHeaders } from './http-edge';
import { QuietStartLogger } from './logging';
import { HttpErrorFilter } from './http-errors';
import { MESSAGE_BUS, PACK_REGISTRY } from './tokens';
import { dtoValidationPipe } from './validation';

/**
 * One way every process builds its application: logging, headers, JSON bodies only, validation,
 * errors, body limit — and the bus consumers. The process is a hybrid Nest application: its HTTP
 * API, and a microservice on the bus transport (bus-transport.ts) serving every `@EventPattern`
 * handler of its modules, each joined to its consumer group before this resolves. Closing the app
 * leaves the groups first (the microservice is disposed before the shutdown hooks close the bus).
 */
export async function createHttpApp(root: DynamicModule): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(root, {
    bufferLogs: true,
    // A failed start throws to the caller (main prints why and exits), instead of Nest's process.exit.
    abortOnError: false,
    // Only the JSON parser below: Nest's default would also parse form-encoded bodies.
    bodyParser: false,
  });
  app.useLogger(new QuietStartLogger(app.get(Logger)));
  app.use(securityHeaders());
  app.use('/v1', noStore);
  app.use(requireJsonBodies);
  // 500 case events of realistic size fit comfortably; anything larger is refused with 413.
  app.useBodyParser('json', { limit: '2mb', verify: refuseByteOrderMark });
  app.useGlobalPipes(dtoValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  // Not the HTTP app's pipes and filters: a bus handler has no response to write.
  // Not the HTTP app's pipes and filters (a bus handler has no response to write): consumers name
  // their own filter (BusHandlerErrors).
  app.connectMicroservice({ strategy: new BusTransport(app.get<MessageBus>(MESSAGE_BUS)) });
  await app.startAllMicroservices();
  return app;
}

/** main() of every process: configuration checked first, then listen, or say why not and exit. */
export async function runProcess(
  name: string,
  build: (config: RuntimeConfig) => Promise<INestApplication>,
  options: { distributed?: { bus: boolean } } = {},
): Promise<void> {
  try {
    const config = loadConfig();
    if (options.distributed) {
      const missing = [
        !config.databaseUrl && `DATABASE_URL is required: ${name} runs as its own process and shares PostgreSQL with the others (the embedded store is one process's only)`,
        options.distributed.bus && !config.kafkaBrokers && `KAFKA_BROKERS is required: ${name} runs as its own process and exchanges messages with the others through Kafka (the in-process bus is one process's only)`,
      ].filter((problem): problem is string => typeof problem === 'string');
      if (missing.length) throw new ConfigInvalid(missing);
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
