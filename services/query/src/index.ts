export * from './query.module';
export * from './child-record';
