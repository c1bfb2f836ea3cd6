/**
 * The core stays pure because lint says so (DESIGN.md "Domain core"). This proves the lint rules
 * can fail: a file in libs/domain that imports NestJS, pg, the file system, or reads the clock is
 * refused, while the same file in a service is not refused for purity. And the services' processors
 * hold no business rule (below).
 */
import { ESLint } from 'eslint';
import { execSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CASE_EVENT_TYPES, DECISION_TYPES } from '@cto/domain';

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

/**
 * A processor is wiring, reading and recording (STYLE.md: "A rule found in a service is a bug"):
 * it reads a child's stream, hands it to a decider of the core, and records what comes back. So
 * it names no event type and reads no event's data — which fact matters, and what it means, is the
 * core's — and from the core it takes only deciders, what sets them reconciling, and today's date.
 */
const ALLOWED_FROM_DOMAIN = new Set(['allocationDecider', 'movesSiblingsAlong', 'reconcileFamilyAlongside', 'reconcilesAllocation', 'checklistDecider', 'reconcilesChecklists', 'supervise', 'localDateOf', 'LocalDate']);
const EVENT_TYPES = new Set<string>([...CASE_EVENT_TYPES, ...DECISION_TYPES]);

function ruleInProcessor(source: string): string[] {
  const problems: string[] = [];
  for (const [, names] of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@cto\/domain'/g)) {
    for (const name of names.split(',').map((n) => n.replace(/^\s*type\s+/, '').trim()).filter(Boolean)) {
      if (!ALLOWED_FROM_DOMAIN.has(name)) problems.push(`imports ${name} from the core: a processor calls deciders only`);
    }
  }
  for (const type of EVENT_TYPES) if (source.includes(`'${type}'`)) problems.push(`names the event type ${type}: which event matters is the core's to say`);
  if (/\.data\b/.test(source)) problems.push("reads an event's data: what it means is the core's to say");
  return problems;
}

describe('processors hold no business rule', () => {
  const processors = readdirSync(resolve(root, 'services'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.processor.ts'));

  it('finds the deciding services’ processors', () => {
    expect(processors.map((f) => f.split('/')[0]).sort()).toEqual(['allocation', 'checklist', 'escalation']);
  });

  it.each(processors)('services/%s is wiring, reading and recording', (file) => {
    expect(ruleInProcessor(readFileSync(resolve(root, 'services', file), 'utf8'))).toEqual([]);
  });

  it('would refuse a processor that judges a fact itself', () => {
    const judging = "import { decide, allocationDecider } from '@cto/domain';\nif (event.type === 'BirthdayApproaching' && (event.data as { ageYears: number }).ageYears > 17) return;\n";
    expect(ruleInProcessor(judging)).toEqual([
      'imports decide from the core: a processor calls deciders only',
      'names the event type BirthdayApproaching: which event matters is the core\'s to say',
      "reads an event's data: what it means is the core's to say",
    ]);
  });
});
