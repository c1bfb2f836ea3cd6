export * from './caseload';
export * from './prepare-caseload';
export * from './teams-file';
export * from './caseload-report';
export * from './ssda903';
export * from './csc-api';
