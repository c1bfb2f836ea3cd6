/**
 * The core stays pure because lint says so (DESIGN.md "Domain core"). This proves the lint rules
 * can fail: a file in libs/domain that imports NestJS, pg, the file system, or reads the clock is
 * refused, while the same file in a service is not refused for purity.
 */
import { ESLint } from 'eslint';
import { execSync } from 'node:child_process';
import { resolve } from 'node:path';

jest.setTimeout(60000);
const root = resolve(__dirname, '..');

beforeAll(() => {
  // The module-boundary rule reads Nx's project graph; make sure it is computed.
  execSync('npx nx show projects', { cwd: root, stdio: 'ignore', env: { ...process.env, NX_DAEMON: 'false' } });
});

const lint = async (filePath: string, text: string) => {
  const [result] = await new ESLint({ cwd: root }).lintText(text, { filePath: resolve(root, filePath) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
};

const probes: [string, string][] = [
  ["import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n", '@nx/enforce-module-boundaries'],
  ["import { Pool } from 'pg';\nexport const x = Pool;\n", '@nx/enforce-module-boundaries'],
  ["import { Kafka } from 'kafkajs';\nexport const x = Kafka;\n", '@nx/enforce-module-boundaries'],
  ["import { DataSource } from 'typeorm';\nexport const x = DataSource;\n", 'no-restricted-imports'],
  ["import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'no-restricted-imports'],
  ["import { openPgliteEventStore } from '@cto/event-store';\nexport const x = openPgliteEventStore;\n", '@nx/enforce-module-boundaries'],
  ['export const x = Date.now();\n', 'no-restricted-syntax'],
  ['export const x = process.env.HOME;\n', 'no-restricted-globals'],
];

describe('libs/domain imports nothing with IO, and lint proves it', () => {
  it.each(probes)('refuses %p in libs/domain', async (text, rule) => {
    expect((await lint('libs/domain/src/policy/lint-probe.ts', text)).join('\n')).toContain(rule);
  });

  it('accepts the pure libraries the core is allowed', async () => {
    expect(await lint('libs/domain/src/policy/lint-probe.ts', "import { LocalDate } from '@js-joda/core';\nexport const x = LocalDate;\n")).toEqual([]);
  });

  it('lets a service import NestJS', async () => {
    expect(await lint('services/intake/src/lint-probe.ts', "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n")).toEqual([]);
  });
});
