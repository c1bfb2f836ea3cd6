// Test helpers only: production code imports `src/index.ts`, which does not export these
// (this file uses Jest's globals).
export { describeMessageBusContract } from './bus.contract';
export type { MessageBusContractSubject, MessageBusFactory } from './bus.contract';
