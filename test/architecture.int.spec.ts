/**
 * The core stays pure because lint says so (DESIGN.md "Domain core"). This proves the lint rules
 * can fail: a file in libs/domain that imports NestJS, pg, the file system, or reads the clock is
 * refused, while the same file in a service is not refused for purity. And the services' processors
 * hold no business rule, and the `.unit` specs need no files, network, clock or processes (below).
 * `.int` itself: it reads the sources, and runs nx and ESLint.
 */
import { ESLint } from 'eslint';
import { execSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ts from 'typescript';
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

/**
 * A `.unit` spec needs nothing but the code (issue 18 item 7): no files, network, real clock or
 * child processes, so `npm run test:unit` runs anywhere and its failures are the code's, never the
 * machine's. A spec that needs more is named `.int` (jest.config.js). Read from each spec's syntax
 * tree: a value import of a module that does IO (`import type` is erased and touches nothing), the
 * wall clock (`Date.now`, `new Date()` with no argument; `jest.now()` reads Jest's fake clock), and
 * the project's helpers known to read files, open a store or read the clock on a spec's behalf.
 */
const IO_MODULES = new Map<string, string>(Object.entries({
  fs: 'the file system',
  'fs/promises': 'the file system',
  child_process: 'child processes',
  net: 'sockets',
  http: 'the network',
  https: 'the network',
  http2: 'the network',
  dgram: 'sockets',
  tls: 'sockets',
  kafkajs: 'a Kafka client',
  pg: 'a PostgreSQL client',
  '@electric-sql/pglite': 'a PGlite database',
}));
/** Values of those modules that do no IO: kafkajs's `logLevel` is an enum of numbers (kafka-bus.unit.spec.ts feeds its levels to our log filter). */
const PURE_FROM_IO_MODULES = new Map<string, readonly string[]>([['kafkajs', ['logLevel']]]);

// Maps, not object literals (here and above): a name such as `toString` must not find Object.prototype's.
const IO_HELPERS = new Map<string, string>(Object.entries({
  CaseEventValidator: 'compiles the JSON Schemas in contracts/events when constructed',
  DecisionValidator: 'compiles the JSON Schemas in contracts/events when constructed',
  loadCaseEventSchemas: 'reads contracts/events',
  loadDecisionSchemas: 'reads contracts/events',
  checkPolicyPack: 'reads policies/policy-pack.schema.json',
  parsePolicyPack: 'reads policies/policy-pack.schema.json',
  schemaProblems: 'reads policies/policy-pack.schema.json',
  loadPolicyPackFile: 'reads a pack file',
  loadPolicyPacks: 'reads the policies/ folder',
  policyPackFiles: 'lists a folder',
  sourceDocumentsIn: 'reads policies/sources',
  loadCscApiContracts: 'reads contracts/imports',
  readSsda903MappingFile: 'reads contracts/imports',
  fixture: 'reads libs/statutory-returns/fixtures',
  csvFixture: 'reads libs/statutory-returns/fixtures',
  openPgliteEventStore: 'opens a PGlite database',
  openPostgresEventStore: 'connects to PostgreSQL',
  brokerReachable: 'connects to Kafka',
  privatePostgres: 'starts PostgreSQL',
  privateKafka: 'starts Kafka',
  testToken: 'reads the clock (a token issued now)',
  bearer: 'reads the clock (a token issued now)',
  clockAdmin: 'reads the clock (a token issued now)',
  signAccessToken: 'reads the clock (a token issued now)',
  eventually: 'waits on the clock',
  waitUntilVisible: 'waits on the clock',
  readEverythingCommitted: 'waits on the clock',
}));
// Not listed: describeMessageBusContract reads Date.now() only for the deadline after which a wait
// gives up (naming what it waited for) and for topic names unique on a shared broker; what the
// in-process bus does never depends on it.

const moduleName = (specifier: string) => specifier.replace(/^node:/, '');

function ioInUnitSpec(source: string): string[] {
  const file = ts.createSourceFile('probe.unit.spec.ts', source, ts.ScriptTarget.Latest, true);
  const problems: string[] = [];
  const refuseModule = (specifier: string, values: readonly string[]) => {
    const name = moduleName(specifier);
    const touches = IO_MODULES.get(name);
    const impure = values.filter((v) => !(PURE_FROM_IO_MODULES.get(name) ?? []).includes(v));
    if (touches && impure.length > 0) problems.push(`imports ${specifier}: ${touches}`);
  };
  const refuseHelper = (name: string) => {
    const does = IO_HELPERS.get(name);
    if (does) problems.push(`uses ${name}: ${does}`);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !node.importClause?.isTypeOnly) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const named = bindings && ts.isNamedImports(bindings) ? bindings.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text) : [];
      // A default, a namespace or a bare `import 'x'` brings the whole module.
      const whole = !clause || clause.name !== undefined || (bindings !== undefined && ts.isNamespaceImport(bindings)) ? ['*'] : [];
      refuseModule(node.moduleSpecifier.text, [...whole, ...named]);
      named.forEach(refuseHelper);
    }
    if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression;
      if ((ts.isIdentifier(callee) && callee.text === 'require') || callee.kind === ts.SyntaxKind.ImportKeyword) refuseModule(node.arguments[0].text, ['*']);
    }
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Date' && node.name.text === 'now') problems.push('reads the clock: Date.now');
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Date' && (node.arguments ?? []).length === 0) problems.push('reads the clock: new Date()');
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = node.expression;
      if (ts.isIdentifier(callee)) refuseHelper(callee.text);
      if (ts.isPropertyAccessExpression(callee)) refuseHelper(callee.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return [...new Set(problems)];
}

describe('.unit specs touch no files, network, clock or processes', () => {
  const unitSpecs = ['libs', 'services', 'test'].flatMap((top) =>
    readdirSync(resolve(root, top), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.unit.spec.ts') && !f.split('/').includes('node_modules'))
      .map((f) => `${top}/${f}`),
  );

  it('finds the unit specs', () => {
    expect(unitSpecs).toEqual(expect.arrayContaining(['libs/domain/src/policy/engine.unit.spec.ts', 'libs/messaging/src/kafka-bus.unit.spec.ts']));
  });

  it.each(unitSpecs)('%s needs nothing but the code', (file) => {
    expect(ioInUnitSpec(readFileSync(resolve(root, file), 'utf8'))).toEqual([]);
  });

  it('would refuse a unit spec that reads files, opens a connection or a process, or reads the clock', () => {
    const impure = [
      "import * as fs from 'node:fs';",
      "import { execSync } from 'node:child_process';",
      "import { Kafka, logLevel } from 'kafkajs';",
      "import { Pool } from 'pg';",
      "import http from 'http';",
      "const net = require('node:net');",
      "import { compilePack } from '@cto/domain';",
      "import { loadPolicyPacks as shippedPacks } from '@cto/policy-packs';",
      "import * as contracts from '@cto/contracts';",
      'const validator = new contracts.CaseEventValidator();',
      'const occurredAt = new Date().toISOString();',
      'const t0 = Date.now();',
      "const pack = compilePack(shippedPacks().find((p) => p.id === 'kent')!);",
    ].join('\n');
    expect(ioInUnitSpec(impure)).toEqual([
      'imports node:fs: the file system',
      'imports node:child_process: child processes',
      'imports kafkajs: a Kafka client',
      'imports pg: a PostgreSQL client',
      'imports http: the network',
      'imports node:net: sockets',
      'uses loadPolicyPacks: reads the policies/ folder',
      'uses CaseEventValidator: compiles the JSON Schemas in contracts/events when constructed',
      'reads the clock: new Date()',
      'reads the clock: Date.now',
    ]);
  });

  it('accepts types from those modules, pinned dates, Jest’s fake clock and kafkajs’s log levels', () => {
    const pure = [
      "import type { Pool } from 'pg';",
      "import { logLevel, type KafkaMessage } from 'kafkajs';",
      "import { type CaseEventValidator } from '@cto/contracts';",
      "const on = new Date('2026-08-27T10:00:00Z');",
      'const t0 = jest.now();',
    ].join('\n');
    expect(ioInUnitSpec(pure)).toEqual([]);
  });
});

/**
 * Events narrow (issue 18 item 1): CaseEvent and Decision are discriminated unions, so a `switch`
 * or `if` on `type` gives `data` its shape and no code needs to say what an event's data is. A cast
 * would say it without the compiler checking, so outside the one place where the store's untyped
 * rows become the unions (libs/event-store/src/stream-entries.ts, which says why nothing is checked
 * there), none is allowed in libs/ or services/: no `as` to an event type, and no `as` on a
 * `.data` — except the two that are no event's: an ajv error's `data` (the offending value of a
 * pack's YAML) and the parsed YAML document (`source.data`, checked against the pack schema first).
 */
const EVENT_TYPE_NAMES = /\b(CaseEvent|CaseEventDataByType|Decision|DecisionDataByType)\b/;
const NOT_EVENT_DATA = new Set(['error.data', 'source.data']);
const STORE_BOUNDARY = 'libs/event-store/src/stream-entries.ts';

function castsOnEventData(text: string, fileName: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) {
      const type = node.type.getText(source);
      // Through parentheses, other casts and `?? {}` to what is cast.
      let inner: ts.Expression = node.expression;
      while (ts.isParenthesizedExpression(inner) || ts.isAsExpression(inner) || (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
        inner = ts.isBinaryExpression(inner) ? inner.left : inner.expression;
      }
      const onData = ts.isPropertyAccessExpression(inner) && inner.name.text === 'data' && type !== 'unknown' && !NOT_EVENT_DATA.has(inner.getText(source));
      if (EVENT_TYPE_NAMES.test(type) || onData) found.push(`${fileName}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${node.getText(source).replace(/\s+/g, ' ').slice(0, 100)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('no cast on an event’s data in libs/ or services/', () => {
  const files = ['libs', 'services'].flatMap((dir) =>
    readdirSync(resolve(root, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && !f.split('/').includes('node_modules'))
      .map((f) => `${dir}/${f}`),
  );

  it('finds the sources, the store boundary among them', () => {
    expect(files.length).toBeGreaterThan(200);
    expect(files).toContain(STORE_BOUNDARY);
  });

  it('finds none outside the store boundary', () => {
    const casts = files.filter((f) => f !== STORE_BOUNDARY).flatMap((f) => castsOnEventData(readFileSync(resolve(root, f), 'utf8'), f));
    expect(casts).toEqual([]);
  });

  it('would refuse a cast to an event type or on an event’s data, and let pass a switch that narrows', () => {
    const casting = [
      "const d = decision.data as DecisionDataByType['TransferProposed'];",
      "const { ageYears } = (fact.data as { ageYears: number });",
      'const e = { type, data } as CaseEvent;',
      "const x = (entry.decision.data ?? {}) as Record<string, unknown>;",
      "const ok = JSON.parse(row.data) as unknown; const yaml = error.data as unknown[];",
    ].join('\n');
    expect(castsOnEventData(casting, 'probe.ts').map((c) => c.split(': ')[0])).toEqual(['probe.ts:1', 'probe.ts:2', 'probe.ts:3', 'probe.ts:4']);
    const narrowing = "switch (fact.type) { case 'OrderMade': return fact.data.order; }";
    expect(castsOnEventData(narrowing, 'probe.ts')).toEqual([]);
  });

  it('keeps the store boundary to the two conversions it explains', () => {
    expect(castsOnEventData(readFileSync(resolve(root, STORE_BOUNDARY), 'utf8'), STORE_BOUNDARY)).toHaveLength(2);
  });
});
