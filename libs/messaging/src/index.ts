export * from './bus.port';
export * from './topics';
export { InProcessBus, IN_PROCESS_BUS_DEFAULTS } from './in-process-bus';
export type { InProcessBusOptions, InProcessRetryOptions, DeadLetterNotice } from './in-process-bus';
