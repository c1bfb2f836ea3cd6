// Test helpers for adapters of the store port. Uses Jest globals: import from specs only, never from
// production code (src/index.ts does not re-export this).
export {
  describeEventStoreContract,
  type EventStoreContractCapabilities,
  type EventStoreContractFactory,
  type EventStoreContractTarget,
} from './event-store.contract';
export { whyPgliteCannotStartUnderJest } from './pglite-under-jest';
export { describeOnEmptyDatabases, type EmptyDatabase } from './empty-databases';
