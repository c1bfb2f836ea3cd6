/**
 * `npm run openapi`: writes contracts/openapi.json from the controllers (DESIGN.md "Contracts").
 * test/openapi.drift.e2e.spec.ts fails when the committed file is not what this writes.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { generateOpenApiJson, OPENAPI_FILE, REPOSITORY_ROOT } from './openapi-document';

generateOpenApiJson()
  .then((json) => {
    writeFileSync(OPENAPI_FILE, json);
    process.stdout.write(`wrote ${relative(REPOSITORY_ROOT, OPENAPI_FILE)}\n`);
    // PGlite may leave handles open for a moment; nothing else is running.
    process.exit(0);
  })
  .catch((error: unknown) => {
    process.stderr.write(`openapi failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
