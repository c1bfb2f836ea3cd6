// One Jest run for the whole workspace. Suffixes say what a spec needs (STYLE.md; issue 18 item 7):
// *.unit.spec.ts pure (no files, network, real clock or child processes);
// *.int.spec.ts touches files, the real clock, or real PostgreSQL / Kafka;
// *.e2e.spec.ts a whole process (over HTTP). test/architecture.int.spec.ts keeps .unit pure.
const { compilerOptions } = require('./tsconfig.base.json');
const fs = require('node:fs');

const swcrc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swcrc.$schema;

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace(/\//g, '\\/')}$`,
    `<rootDir>/${target}`,
  ]),
);

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/services', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }],
    // jose ships only ES modules; Node (>= 20.19) requires them natively, Jest's CommonJS sandbox does not.
    '/node_modules/jose/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' }, swcrc: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper,
  setupFiles: ['reflect-metadata'],
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  // In CI, end once every test has run even if a failed test left something open (a child process
  // it could not stop, a socket): the summary is written by then, and a hung run lands nothing.
  // Locally Jest keeps waiting and names the open handle, so a leak is seen and fixed.
  forceExit: process.env.CI === 'true',
};
