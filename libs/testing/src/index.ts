// Shared test helpers (type:testing): never imported by production code.
export * from './case-event-builders';
export * from './scenario';
export * from './tokens';
export * from './eventually';
export * from './event-mix';
export * from './standing-decisions';
export * from './family';
