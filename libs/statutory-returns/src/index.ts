export * from './caseload';
