/**
 * Structured logs with pino (STYLE.md "Logging"). Above debug only non-personal ids are logged;
 * the redact list and the URL scrubbing are the safety net: a child id in a path becomes ":childId".
 */
import type { Params } from 'nestjs-pino';
import type { RuntimeConfig } from './config';

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
