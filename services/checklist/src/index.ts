export * from './checklist.module';
export * from './checklist.processor';
