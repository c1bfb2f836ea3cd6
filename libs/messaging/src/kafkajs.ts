/**
 * kafkajs, required when the Kafka adapter first needs it (a KafkaBus is made, its logger maps a
 * level), not when `@cto/messaging` is imported. The embedded process imports this library for the
 * in-process bus and never talks to Kafka; loading kafkajs there cost 143 modules and about 1 MB of
 * V8 heap for nothing (issue 18 item 5; bench/README.md section 6). Node caches the module, so a
 * call after the first is a lookup. Types come from `import type`, which compiles to nothing.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy require is the point: see above
export const kafkajs = (): typeof import('kafkajs') => require('kafkajs') as typeof import('kafkajs');
