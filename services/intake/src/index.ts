export * from './intake.module';
export * from './case-event-recorder';
export * from './case-event-consumer';
