// Lint exists here mainly to keep the architecture visible (STYLE.md "Layout"):
// arrows point one way — app → service → runtime → adapter → core — and the core stays pure.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Everything the pure core may import from npm: date arithmetic and bank holidays only.
const coreAllowedExternalImports = ['@js-joda/core', 'date-holidays'];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'deploy/kafka/lib/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:core', onlyDependOnLibsWithTags: [], allowedExternalImports: coreAllowedExternalImports },
            { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:core'] },
            { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:core', 'type:adapter'] },
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:core', 'type:adapter', 'type:runtime'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:core', 'type:adapter', 'type:runtime', 'type:service'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:core', 'type:adapter', 'type:runtime', 'type:service', 'type:app'] },
          ],
        },
      ],
    },
  },
  {
    // Plain CommonJS tooling files (Jest reporter, configs).
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The core is pure (DESIGN.md "Domain core"): no Node built-ins, no environment, no system clock.
    files: ['libs/domain/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(node:)?(fs|path|http|https|net|os|child_process|crypto|worker_threads|process)(/.*)?$', message: 'libs/domain is pure: no IO. Inject a port instead.' },
            // Named as well as whitelisted below, so a framework not yet installed is refused too.
            { regex: '^(@nestjs/.*|kafkajs|typeorm|pg|pg-.*|@electric-sql/.*|express|pino.*)$', message: 'libs/domain is pure: no framework or IO library.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'libs/domain is pure: configuration arrives as arguments.' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'The clock is injected: use the `now` argument.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'The clock is injected: use the `now` argument.' },
        { selector: "CallExpression[callee.object.name='console']", message: 'libs/domain does not log; it returns explanations.' },
      ],
    },
  },
  {
    // Tests may use the shared test helpers; production code never does (the constraint above).
    files: ['**/*.spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          depConstraints: [
            { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:core', 'type:testing'], allowedExternalImports: [...coreAllowedExternalImports, 'fast-check', 'yaml', 'node:fs', 'node:path', '@cto/testing'] },
            { sourceTag: '*', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
    },
  },
];
