export * from './escalation.module';
export * from './escalation.processor';
