/**
 * `npm run openapi`: writes contracts/openapi.json from the controllers (DESIGN.md "Contracts").
 * test/openapi.drift.e2e.spec.ts fails when the committed file is not what this writes.
 * `--help` for usage. Exit status: 0 written, 1 it failed, 2 a usage mistake.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { consoleOutput, parseCommandLine, type Output } from './command-line';
import { generateOpenApiJson, OPENAPI_FILE, REPOSITORY_ROOT } from './openapi-document';

const USAGE = [
  'usage: npm run openapi',
  '       npm run openapi -- --help',
  '',
  `Writes ${relative(REPOSITORY_ROOT, OPENAPI_FILE)} from the controllers, as the whole system (npm start) composes them;`,
  'commit the result (CI fails when the committed file is not what this writes).',
];

/** The command: its arguments, then the document; resolves to the exit status. */
export async function run(argv: string[], out: Output): Promise<number> {
  const parsed = parseCommandLine(argv, { usage: USAGE, options: {} }, out);
  if (!parsed.run) return parsed.exitCode;
  try {
    writeFileSync(OPENAPI_FILE, await generateOpenApiJson());
    out.log(`wrote ${relative(REPOSITORY_ROOT, OPENAPI_FILE)}`);
    return 0;
  } catch (error) {
    out.error(`openapi failed: ${(error as Error).stack ?? String(error)}`);
    return 1;
  }
}

if (require.main === module) {
  // PGlite may leave handles open for a moment; nothing else is running.
  void run(process.argv.slice(2), consoleOutput).then((code) => process.exit(code));
}
