// The store port and its two adapters (PostgreSQL, PGlite), one SQL implementation underneath.
// The contract suite for adapters is in ./testing (it uses Jest, so production code never imports it).
export * from './event-store.port';
export { caseEventOf, decisionOf, factEvent, toChildStreamEvent, type StoredEntry } from './stream-entries';
export { InvalidCheckpoint } from './global-checkpoint';
export { migrate, MigrationMismatch, type MigrationReport } from './migrations/migrate';
export { MIGRATIONS, type Migration } from './migrations/migrations';
export { MigrationRefused } from './migrations/unambiguous-stream-ids';
export { SqlEventStore } from './sql-event-store';
export { SqlReadModelStore, type ReadModelStore } from './read-model-store';
export { GENESIS_HASH, integrityHash, integrityOf, type EventIntegrity, type HashedEvent } from './integrity';
export { verifyStore, type BrokenLink, type BrokenLinkReason, type StoreIntact, type StoreVerification, type VerifyOptions } from './verify-store';
export { openPostgresEventStore, type PostgresEventStoreOptions } from './open-postgres-event-store';
export { openPgliteEventStore, type PgliteEventStoreOptions } from './open-pglite-event-store';
export { TransactionFinished, type NamedStatement, type SqlClient, type SqlExecutor, type SqlParameter } from './sql/sql-client';
export { PgSqlClient } from './sql/pg-sql-client';
export { PgliteSqlClient } from './sql/pglite-sql-client';
