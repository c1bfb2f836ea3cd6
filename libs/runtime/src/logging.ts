/**
 * Structured logs with pino (STYLE.md "Logging"). Above debug only non-personal ids are logged, and
 * an id a client chose only as its keyed hash (logId); the redact list and the URL scrubbing are the
 * safety net: a child id in a path becomes ":childId".
 */
import { createHmac } from 'node:crypto';
import type { Params } from 'nestjs-pino';
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
  return {
    pinoHttp: {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: { method: string; url: string; id?: unknown }) => ({ id: req.id, method: req.method, url: scrubUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      // Probes and scrapes come every few seconds; a line for each would drown the requests that matter.
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/health/live' || req.url === '/metrics' },
    },
  };
}
