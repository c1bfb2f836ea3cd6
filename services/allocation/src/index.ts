export * from './allocation.module';
export * from './allocation.processor';
