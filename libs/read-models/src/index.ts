// Reporting read models: the pure projection (fold), its SQL tables, the follower that keeps them,
// and the query side. The query service wires them into Nest (services/query/src/reporting-projection.ts).
export * from './rows';
export * from './fold';
export * from './summary';
export * from './projector';
export * from './reporting-queries';
export { READ_MODEL_TABLES, dumpRows, truncateReadModels } from './sql-rows';
export * from './tokens';
