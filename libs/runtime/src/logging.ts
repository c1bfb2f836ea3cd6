/**
 * Structured logs with pino (STYLE.md "Logging"). Above debug only non-personal ids are logged, and
 * an id a client chose only as its keyed hash (logId); the redact list and the URL scrubbing are the
 * safety net: a child id in a path becomes ":childId".
 *
 * Two formats of the same lines (LOG_FORMAT, config.ts): JSON, one object per line, for machines
 * (production, and whenever stdout is not a terminal); pretty, one readable line per event, for a
 * person at a terminal. Pretty is pino-pretty run in this thread, synchronously: no worker thread
 * for a development nicety, and its lines keep their order with the start banner, which is
 * written to stdout directly (http-app.ts). Both formats get the same fields, after redaction.
 */
import { Logger, type LoggerService } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import type { KafkaBusLogger } from '@cto/messaging';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { PrettyOptions } from 'pino-pretty';
import type { RuntimeConfig } from './config';

/**
 * An id a client chose (a case event's eventId; the causationId of a decision it caused) as a log
 * line above debug shows it. Case-management systems often build event ids from child ids, so the
 * id itself may name a child; its keyed hash does not, and support, holding the key, can still find
 * every line about a given id: `printf %s "$ID" | openssl dgst -sha256 -hmac "$LOG_ID_KEY"`, the
 * first 16 hex digits (64 bits: no two ids of one deployment are expected to share them).
 */
export const logId = (config: Pick<RuntimeConfig, 'logIdKey'>, id: string): string =>
  `hmac:${createHmac('sha256', config.logIdKey).update(id, 'utf8').digest('hex').slice(0, 16)}`;

export const REDACTED_PATHS = [
  'childId',
  'familyId',
  'dateOfBirth',
  'data',
  '*.childId',
  '*.familyId',
  '*.dateOfBirth',
  '*.data',
  'req.headers.authorization',
];

export const scrubUrl = (url: string): string => url.replace(/\/children\/[^/?]+/g, '/children/:childId').replace(/\?.*$/, '');

export function loggerParams(config: RuntimeConfig): Params {
  const options: Options = {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { method: string; url: string; id?: unknown }) => ({ id: req.id, method: req.method, url: scrubUrl(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    // Probes and scrapes come every few seconds; a line for each would drown the requests that matter.
    autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/health/live' || req.url === '/metrics' },
  };
  return { pinoHttp: config.logFormat === 'pretty' ? [options, prettyStream()] : options };
}

/** A log line as pino wrote it, as far as the pretty format reads it. */
interface LogLine {
  msg?: string;
  context?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
}

/**
 * `[10:42:07.113] INFO  intake: case event recorded {"eventId":"hmac:…","type":"ICPCHeld"}`, and
 * for a request `POST /v1/case-events 202 (14 ms)`: the context and the request in words, every
 * other field as compact JSON on the same line (an error's stack still follows on its own lines).
 */
export const PRETTY_OPTIONS: PrettyOptions = {
  singleLine: true,
  translateTime: 'SYS:HH:MM:ss.l',
  ignore: 'pid,hostname,context,req,res,responseTime',
  messageFormat: (line, messageKey) => {
    const log = line as LogLine;
    const message = String(line[messageKey] ?? '');
    const request = log.req?.method && log.res?.statusCode !== undefined ? `${log.req.method} ${log.req.url} ${log.res.statusCode} (${log.responseTime ?? '?'} ms)` : undefined;
    const text = request && message === 'request completed' ? request : request ? `${message}: ${request}` : message;
    return log.context ? `${log.context}: ${text}` : text;
  },
  sync: true,
};

/** pino-pretty, required only here: it is a development dependency, and production logs JSON. */
function prettyStream(): DestinationStream {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when pretty was chosen, so a production install need not have it
  const pretty = require('pino-pretty') as typeof import('pino-pretty');
  return pretty.build(PRETTY_OPTIONS);
}

/**
 * Nest's own start-up lines (each module initialised, each route mapped, "successfully started"),
 * which it writes at info: moved to debug, so that a normal start says only what the banner says
 * (the URL, the store, the bus, the development token).
 */
const NEST_START_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication', 'NestMicroservice']);

/** The application's logger (nestjs-pino's), with Nest's start-up lines at debug instead of info. */
export class QuietStartLogger implements LoggerService {
  constructor(private readonly logger: LoggerService) {}

  log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams[optionalParams.length - 1];
    if (typeof context === 'string' && NEST_START_CONTEXTS.has(context)) this.logger.debug?.(message, ...optionalParams);
    else this.logger.log(message, ...optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.logger.error(message, ...optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.logger.warn(message, ...optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.logger.debug?.(message, ...optionalParams);
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.logger.verbose?.(message, ...optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.logger.fatal?.(message, ...optionalParams);
  }
}

/**
 * The Kafka bus's lines (its own and kafkajs's, already reduced to safe fields by the bus) through
 * the application's logger, context "kafka": in the same format and stream as every other line,
 * rather than the bus's default of JSON on stderr.
 */
export function kafkaBusLogger(): KafkaBusLogger {
  const logger = new Logger('kafka');
  return {
    error: (fields, message) => logger.error(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
    info: (fields, message) => logger.log(fields, message),
    debug: (fields, message) => logger.debug(fields, message),
  };
}
