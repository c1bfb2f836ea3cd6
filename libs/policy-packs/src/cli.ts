/**
 * `npm run policy -- validate [file|dir …]` (DESIGN.md "Tooling"): checks packs against the schema
 * and the domain's semantic checks, that every citation points at something in the pack's source
 * document (policies/sources), and that no two packs claim one authority. Prints one line per
 * good pack and every problem of a bad one; exit code 0 when all are good, 1 on any error, 2 on
 * a usage mistake.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkPolicyPack, DEFAULT_POLICIES_DIR, policyPackFiles, sourceDocumentsIn } from './load-policy-pack';
import { PackRegistry } from './pack-registry';
import { formatProblem } from './policy-pack-invalid';
import type { PolicyPack } from '@cto/domain';

export interface CliOutput {
  log(line: string): void;
  error(line: string): void;
}

export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

const USAGE = [
  'usage: npm run policy -- validate [file|dir …]',
  '',
  '  validate   check policy packs (YAML) against policies/policy-pack.schema.json, then that their',
  '             teams, meeting kinds, facts and timescales exist, no two rules conflict, and every',
  '             citation names a paragraph, section, heading, numbered point or quoted phrase of the',
  '             source document, read from policies/sources (the pack\'s `source` must be there);',
  '             a folder means every *.yaml in it (default: the policies/ folder)',
];

export function main(argv: readonly string[], out: CliOutput): number {
  const [command, ...args] = argv;
  if (command === 'validate') return validate(args.length > 0 ? args : [DEFAULT_POLICIES_DIR], out);
  if (command === 'help' || command === '--help' || command === '-h') {
    USAGE.forEach((line) => out.log(line));
    return EXIT_OK;
  }
  if (command !== undefined) out.error(`unknown command: ${command}`);
  USAGE.forEach((line) => out.error(line));
  return EXIT_USAGE;
}

function validate(targets: readonly string[], out: CliOutput): number {
  let failed = false;
  const fail = (line: string) => {
    failed = true;
    out.error(line);
  };
  const valid: PolicyPack[] = [];
  // One folder of documents for every pack, wherever the pack file is (a draft, policies/history).
  const sources = sourceDocumentsIn();

  for (const file of targets.flatMap((target) => packFilesOf(target, fail))) {
    const shown = shownPath(file);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      fail(`✗ ${shown}: cannot read it: ${(e as Error).message}`);
      continue;
    }
    const result = checkPolicyPack(text, { sources });
    if (result.ok) {
      const { pack } = result;
      out.log(`✓ ${pack.id} ${pack.version}: ${pack.rules.length} rules, ${pack.teams.length} teams (${shown})`);
      valid.push(pack);
    } else {
      fail(`✗ ${shown}: ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}`);
      result.errors.forEach((p) => out.error(`  ${formatProblem(shown, p)}`));
    }
    result.warnings.forEach((p) => out.log(`  warning: ${formatProblem(shown, p)}`));
  }

  // The packs are fine one by one; together they must not claim one authority twice.
  try {
    new PackRegistry(valid);
  } catch (e) {
    fail(`✗ ${(e as Error).message}`);
  }
  return failed ? EXIT_INVALID : EXIT_OK;
}

/** A folder stands for its *.yaml files; anything else is taken as a pack file. */
function packFilesOf(target: string, fail: (line: string) => void): string[] {
  const isDir = fs.statSync(target, { throwIfNoEntry: false })?.isDirectory() ?? false;
  if (!isDir) return [target];
  const files = policyPackFiles(target);
  if (files.length === 0) fail(`✗ ${shownPath(target)}: no *.yaml policy packs in this folder`);
  return files;
}

function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return relative.startsWith('..') || relative === '' ? file : relative;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2), console);
