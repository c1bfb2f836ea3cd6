export * from './intake.module';
export * from './case-event-recorder';
