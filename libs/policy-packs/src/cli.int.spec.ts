import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, main } from './cli';
import { CP_PLAN_RULE, packYaml } from './test-pack-yaml';

/** Runs the CLI in-process and keeps what it printed. */
function run(...argv: string[]) {
  const log: string[] = [];
  const error: string[] = [];
  const code = main(argv, { log: (l) => log.push(l), error: (l) => error.push(l) });
  return { code, log, error };
}

describe('policy validate', () => {
  let dir: string;
  const write = (name: string, text: string): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-cli-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints one line for a good pack and exits 0', () => {
    const file = write('good.yaml', packYaml());
    expect(run('validate', file)).toEqual({ code: EXIT_OK, log: [`✓ test-pack 1.0.0: 1 rules, 3 teams (${file})`], error: [] });
  });

  it('prints every problem of a bad pack with file, line, pointer and rule, and exits 1', () => {
    const yaml = packYaml({ rules: [CP_PLAN_RULE.replace('to: FSP\n', 'to: FSPX\n').replace('meeting: initial-core-group', 'meeting: core-group')] });
    const file = write('bad.yaml', yaml);
    const line = (text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
    const result = run('validate', file);
    expect(result.code).toBe(EXIT_INVALID);
    expect(result.error).toEqual([
      `✗ ${file}: 2 problems`,
      `  ${file}:${line('to: FSPX')} /rules/0/to (rule child-protection-plan-to-fsp): unknown team FSPX`,
      `  ${file}:${line('meeting: core-group')} /rules/0/handover/meeting (rule child-protection-plan-to-fsp): unknown meeting kind core-group`,
    ]);
  });

  it('checks every *.yaml of a folder, and that no two packs claim one authority', () => {
    write('a.yaml', packYaml({ id: 'pack-a', authorities: ['kent'] }));
    write('b.yaml', packYaml({ id: 'pack-b', authorities: ['kent', 'surrey'] }));
    const result = run('validate', dir);
    expect(result.code).toBe(EXIT_INVALID);
    expect(result.log).toHaveLength(2);
    expect(result.error).toEqual([expect.stringMatching(/^✗ authority kent is claimed by two policy packs, pack-a and pack-b/)]);
  });

  it('fails on a folder with no packs, and on a file that is not there', () => {
    expect(run('validate', dir)).toMatchObject({ code: EXIT_INVALID, error: [expect.stringMatching(/no \*\.yaml policy packs/)] });
    expect(run('validate', path.join(dir, 'missing.yaml'))).toMatchObject({ code: EXIT_INVALID, error: [expect.stringMatching(/cannot read it/)] });
  });

  it('prints usage and exits 2 for anything but validate', () => {
    expect(run('explain', 'C-1')).toMatchObject({ code: EXIT_USAGE, error: expect.arrayContaining(['unknown command: explain']) });
    expect(run().code).toBe(EXIT_USAGE);
    expect(run('--help')).toMatchObject({ code: EXIT_OK, log: expect.arrayContaining([expect.stringMatching(/^usage: npm run policy -- validate/)]) });
  });
});
