/**
 * The command-line conventions every tool here shares (command-line.ts), and each tool's use of
 * them: `--help` is usage on stdout and 0; an unknown option or a stray argument is what was wrong
 * and the usage on stderr, and 2. Nothing here reaches a store: a command line that does not parse
 * never gets that far.
 */
import { run as migrate } from './db-migrate';
import { parseCommandLine, type Output } from './command-line';
import { run as openapi } from './openapi';
import { run as rebuild } from './rebuild-read-models';
import { run as store } from './store-cli';

function capture(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, log: (line) => void stdout.push(line), error: (line) => void stderr.push(line) };
}

describe('parseCommandLine', () => {
  const spec = { usage: ['usage: tool [--json] [--out FILE] [thing]'], options: { json: { type: 'boolean' }, out: { type: 'string' } }, maxPositionals: 1 } as const;

  it('gives the options and positional arguments, in any order', () => {
    const out = capture();
    expect(parseCommandLine(['--out', 'x.json', 'thing', '--json'], spec, out)).toEqual({ run: true, values: { out: 'x.json', json: true }, positionals: ['thing'] });
    expect(parseCommandLine(['--out=y.json'], spec, out)).toEqual({ run: true, values: { out: 'y.json' }, positionals: [] });
    expect(out.stdout.concat(out.stderr)).toEqual([]);
  });

  it('--help and -h print the usage on stdout and exit 0', () => {
    for (const help of ['--help', '-h']) {
      const out = capture();
      expect(parseCommandLine(['thing', help], spec, out)).toEqual({ run: false, exitCode: 0 });
      expect(out.stdout).toEqual(spec.usage);
      expect(out.stderr).toEqual([]);
    }
  });

  it.each([
    [['--frobnicate'], 'unknown option: --frobnicate'],
    [['-z'], 'unknown option: -z'],
    [['one', 'two'], 'unexpected argument: two'],
    [['--out'], "option '--out <value>' argument missing"],
    [['--json=yes'], "option '--json' does not take an argument"],
  ])('%j: says what is wrong, then the usage, on stderr, and exits 2', (argv, what) => {
    const out = capture();
    expect(parseCommandLine(argv, spec, out)).toEqual({ run: false, exitCode: 2 });
    expect(out.stderr).toEqual([what, ...spec.usage]);
    expect(out.stdout).toEqual([]);
  });

  it('refuses any positional argument to a tool that takes none', () => {
    const out = capture();
    expect(parseCommandLine(['now'], { usage: ['usage: tool'], options: {} }, out)).toEqual({ run: false, exitCode: 2 });
    expect(out.stderr[0]).toBe('unexpected argument: now');
  });
});

describe.each([
  ['npm run store', (argv: string[], out: Output) => store(argv, out, {})],
  ['npm run db:migrate', (argv: string[], out: Output) => migrate(argv, out, {})],
  ['npm run db:rebuild-read-models', (argv: string[], out: Output) => rebuild(argv, out, {})],
  ['npm run openapi', (argv: string[], out: Output) => openapi(argv, out)],
])('%s', (name, run) => {
  it('--help prints its usage on stdout and exits 0', async () => {
    const out = capture();
    expect(await run(['--help'], out)).toBe(0);
    expect(out.stdout[0]).toMatch(new RegExp(`^usage: ${name}\\b`));
    expect(out.stdout).toContain(`       ${name} -- --help`);
    expect(out.stderr).toEqual([]);
  });

  it('refuses an unknown option with exit 2, naming it', async () => {
    const out = capture();
    expect(await run(['--frobnicate'], out)).toBe(2);
    expect(out.stderr[0]).toBe('unknown option: --frobnicate');
    expect(out.stderr[1]).toMatch(/^usage: /);
  });
});

describe('npm run store', () => {
  it('keeps `help` as a command, and refuses another command or none', async () => {
    const help = capture();
    expect(await store(['help'], help, {})).toBe(0);
    expect(help.stdout[0]).toMatch(/^usage: npm run store -- verify \[--json\]/);
    const other = capture();
    expect(await store(['check'], other, {})).toBe(2);
    expect(other.stderr[0]).toBe('unknown command: check');
    const none = capture();
    expect(await store([], none, {})).toBe(2);
    expect(none.stderr[0]).toBe('no command given');
  });

  it('refuses a second argument after verify', async () => {
    const out = capture();
    expect(await store(['verify', 'now'], out, {})).toBe(2);
    expect(out.stderr[0]).toBe('unexpected argument: now');
  });
});
