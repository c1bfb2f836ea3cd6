export * from './bus.port';
export * from './topics';
export { InProcessBus, IN_PROCESS_BUS_DEFAULTS } from './in-process-bus';
export type { InProcessBusOptions, InProcessRetryOptions, DeadLetterNotice } from './in-process-bus';
export { KafkaBus, KAFKA_BUS_DEFAULTS } from './kafka-bus';
export type { KafkaBusOptions, KafkaRetryOptions, KafkaConsumerTimings } from './kafka-bus';
export type { KafkaBusLogger, KafkaBusLogLevel, LogIdOf } from './kafka-logging';
export { cloudEventHeadersFor } from './kafka-cloudevents';
export type { CloudEventAttributes } from './kafka-cloudevents';
