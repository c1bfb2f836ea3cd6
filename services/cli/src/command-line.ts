/**
 * How every command-line tool here reads its arguments (issue 18 item 7): node:util `parseArgs`,
 * strict, so an option it does not know is a mistake rather than something silently ignored, and
 * the same conventions everywhere:
 *  - `--help` (or `-h`) prints the usage on stdout and exits 0;
 *  - an unknown option, a missing or unexpected value, or too many arguments prints what was wrong
 *    and the usage on stderr and exits 2 (EXIT_USAGE), as a configuration mistake does;
 *  - otherwise the tool gets its options and positional arguments and does its work.
 */
import { parseArgs } from 'node:util';

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

/** A usage or configuration mistake: the command was not run. */
export const EXIT_USAGE = 2;

type OptionSpec = { type: 'boolean' | 'string'; short?: string };

/** The values parseArgs returns for these options: a flag is a boolean, anything else a string. */
export type OptionValues<O extends Record<string, OptionSpec>> = { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };

export interface CommandLineSpec<O extends Record<string, OptionSpec>> {
  /** Printed by --help (stdout) and after a mistake (stderr). */
  usage: readonly string[];
  /** The tool's own options; `help` (-h) is added to every tool. */
  options: O;
  /** How many positional arguments the tool takes at most (a command, a file…). Default 0. */
  maxPositionals?: number;
}

export type ParsedCommandLine<O extends Record<string, OptionSpec>> = { run: true; values: OptionValues<O>; positionals: string[] } | { run: false; exitCode: number };

export function parseCommandLine<O extends Record<string, OptionSpec>>(argv: readonly string[], spec: CommandLineSpec<O>, out: Output): ParsedCommandLine<O> {
  const maxPositionals = spec.maxPositionals ?? 0;
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: maxPositionals > 0,
    }) as typeof parsed;
  } catch (error) {
    if (!String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_')) throw error;
    return mistake(describe(error as Error & { code: string }), spec, out);
  }
  if (parsed.values.help) {
    spec.usage.forEach((line) => out.log(line));
    return { run: false, exitCode: 0 };
  }
  if (parsed.positionals.length > maxPositionals) return mistake(`unexpected argument: ${parsed.positionals[maxPositionals]}`, spec, out);
  const { help: _help, ...values } = parsed.values;
  return { run: true, values: values as OptionValues<O>, positionals: parsed.positionals };
}

/** Says what was wrong, then how to use the tool, on stderr: exit 2. */
export function mistake(what: string, spec: Pick<CommandLineSpec<never>, 'usage'>, out: Output): { run: false; exitCode: number } {
  out.error(what);
  spec.usage.forEach((line) => out.error(line));
  return { run: false, exitCode: EXIT_USAGE };
}

/** parseArgs's own words, shortened where they are long ("Unknown option '--x'. To specify…"). */
function describe(error: Error & { code: string }): string {
  const named = /'([^']+)'/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && named) return `unknown option: ${named}`;
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && named) return `unexpected argument: ${named}`;
  return error.message.charAt(0).toLowerCase() + error.message.slice(1);
}

/** stdout and stderr, for a tool run from the command line. */
export const consoleOutput: Output = { log: (line) => console.log(line), error: (line) => console.error(line) };
