import type { logCreator, logLevel } from 'kafkajs';
import { kafkajs } from './kafkajs';

/**
 * Logging for the Kafka adapter, kafkajs's own lines included (STYLE.md "Logging"): structured,
 * and never a message's key, value or headers — they carry child and family ids and case details.
 * Only the fields named in SAFE_FIELDS pass; everything else kafkajs attaches is dropped.
 */

export type KafkaBusLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

/** pino's call shape (`logger.warn(fields, message)`), so a pino logger can be passed as is. */
export interface KafkaBusLogger {
  error(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  debug(fields: Record<string, unknown>, message: string): void;
}

/** Ids and counters only: enough to find a partition, an offset, a group or a broker. */
const SAFE_FIELDS = new Set([
  'groupId',
  'memberId',
  'leaderId',
  'isLeader',
  'generationId',
  'groupProtocol',
  'memberAssignment',
  'clientId',
  'broker',
  'host',
  'port',
  'nodeId',
  'topic',
  'partition',
  'offset',
  'lastOffset',
  'batchSize',
  'retryCount',
  'retryTime',
  'duration',
  'correlationId',
  'apiName',
  'apiVersion',
  'attempts',
  'eventId',
  'deadLetterTopic',
  'subscribeTimeoutMs',
  'restart',
]);

/** kafkajs lines that report normal operation at a level that would page someone. */
const DOWNGRADED_TO_INFO = new Set([
  // Printed by every member whenever a subscriber joins or leaves its group.
  'The group is rebalancing, re-joining',
]);

const ORDER: Record<KafkaBusLogLevel, number> = { nothing: 0, error: 1, warn: 2, info: 3, debug: 4 };

/** How a line above debug shows an event id; without one, the id is left out. */
export type LogIdOf = (eventId: string) => string;

export class KafkaBusLog {
  constructor(
    private readonly logger: KafkaBusLogger,
    private readonly level: KafkaBusLogLevel,
    private readonly logIdOf?: LogIdOf,
  ) {}

  enabled(level: Exclude<KafkaBusLogLevel, 'nothing'>): boolean {
    return ORDER[level] <= ORDER[this.level];
  }

  write(level: Exclude<KafkaBusLogLevel, 'nothing'>, message: string, fields: Record<string, unknown> = {}): void {
    if (this.enabled(level)) this.logger[level](safeFields(fields, level === 'debug', this.logIdOf), message);
  }

  /** kafkajs's logger, filtered the same way; its level follows ours. */
  logCreator(): logCreator {
    // kafkajs's levels, taken once when the Kafka client is made: never at log time, when a late
    // log line (a consumer crashing after shutdown) could find the module system torn down and a
    // require throwing inside kafkajs's logger (seen under Jest: it brought the whole run down).
    const levels = kafkajs().logLevel;
    return () =>
      ({ namespace, level, log }) => {
        const { message, ...extra } = log;
        let ours = fromKafkaJs(level, levels);
        if (ours === 'warn' && DOWNGRADED_TO_INFO.has(message)) ours = 'info';
        // A connection logs every error response, REBALANCE_IN_PROGRESS from a heartbeat included,
        // before the layer that sent the request retries or handles it; what is not handled
        // reaches the caller (a rejected publish, a consumer crash, logged at error). So these are
        // diagnostics, not alarms.
        if (ours === 'error' && namespace === 'Connection' && message.startsWith('Response ')) ours = 'info';
        if (ours === 'nothing') return;
        this.write(ours, `kafkajs: ${message}`, { ...extra, namespace });
      };
  }

  kafkaJsLevel(): logLevel {
    const { logLevel } = kafkajs();
    return { nothing: logLevel.NOTHING, error: logLevel.ERROR, warn: logLevel.WARN, info: logLevel.INFO, debug: logLevel.DEBUG }[this.level];
  }
}

function fromKafkaJs(level: logLevel, logLevel: typeof import('kafkajs').logLevel): KafkaBusLogLevel {
  switch (level) {
    case logLevel.ERROR:
      return 'error';
    case logLevel.WARN:
      return 'warn';
    case logLevel.INFO:
      return 'info';
    case logLevel.DEBUG:
      return 'debug';
    default:
      return 'nothing';
  }
}

/**
 * Keeps the whitelisted fields. An `error` becomes its name and kafkajs error type, never its
 * message: a handler's message may quote the data it rejected. That text (`reason`) is kept at
 * `debug` only; the dead-letter headers carry it, which is where it is needed. An `eventId` (a
 * message's ce_id: on case-events, the id the case-management system chose, often built from the
 * child's id) is shown above debug only as logIdOf makes it, or not at all.
 */
function safeFields(fields: Record<string, unknown>, debug: boolean, logIdOf: LogIdOf | undefined): Record<string, unknown> {
  const safe: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (SAFE_FIELDS.has(name) || name === 'namespace') safe[name] = value;
  }
  if (!debug && typeof safe.eventId === 'string') {
    if (logIdOf) safe.eventId = logIdOf(safe.eventId);
    else delete safe.eventId;
  }
  if ('error' in fields) safe.error = describeError(fields.error);
  if (debug && 'reason' in fields) safe.reason = fields.reason;
  return safe;
}

function describeError(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error instanceof Error) {
    const type = (error as { type?: unknown }).type;
    return typeof type === 'string' ? `${error.name} (${type})` : error.name;
  }
  return typeof error;
}

/** The default: one JSON object per line on stderr, as pino would write it. */
export const stderrLogger: KafkaBusLogger = {
  error: (fields, message) => writeLine(50, fields, message),
  warn: (fields, message) => writeLine(40, fields, message),
  info: (fields, message) => writeLine(30, fields, message),
  debug: (fields, message) => writeLine(20, fields, message),
};

function writeLine(level: number, fields: Record<string, unknown>, msg: string): void {
  process.stderr.write(`${JSON.stringify({ level, time: Date.now(), name: 'kafka-bus', ...fields, msg })}\n`);
}
