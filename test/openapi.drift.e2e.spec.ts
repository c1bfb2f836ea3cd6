/**
 * contracts/openapi.json is generated from the controllers (DESIGN.md "Contracts": committed,
 * checked for drift). This regenerates it exactly as `npm run openapi` does and fails when the
 * committed file differs; and checks the document against the embedded application itself, so a
 * route `npm start` serves cannot be missing from it.
 */
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateOpenApiJson, OPENAPI_FILE } from '@cto/cli';
import { createEmbeddedApp } from '@cto/embedded';
import { loadConfig } from '@cto/runtime';

jest.setTimeout(60000);

type Operation = { summary?: string; security?: Record<string, string[]>[]; tags?: string[] };
type Document = { paths: Record<string, Record<string, Operation>> };

let generated: string;
beforeAll(async () => {
  generated = await generateOpenApiJson();
});

describe('contracts/openapi.json', () => {
  it('is what `npm run openapi` generates from the controllers now', () => {
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    if (committed !== generated) {
      throw new Error('contracts/openapi.json is out of date with the controllers: run `npm run openapi` (node -r @swc-node/register services/cli/src/openapi.ts) and commit the result');
    }
  });

  it('gives every operation a summary and a tag, and requires a bearer token on every one but /health', () => {
    const document = JSON.parse(generated) as Document;
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ key: `${method} ${path}`, path, op })));
    expect(operations.length).toBeGreaterThan(10);
    const problems = operations.flatMap(({ key, path, op }) => [
      ...(op.summary ? [] : [`${key}: no summary`]),
      ...(op.tags?.length ? [] : [`${key}: no tag`]),
      ...(path.startsWith('/health') === !op.security?.some((s) => 'bearer' in s) ? [] : [`${key}: bearer security is wrong`]),
    ]);
    expect(problems).toEqual([]);
  });
});

describe('the embedded application', () => {
  let app: INestApplication;
  const dataDir = mkdtempSync(join(tmpdir(), 'cto-openapi-e2e-'));
  beforeAll(async () => {
    app = await createEmbeddedApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves no JSON route that the document leaves out', () => {
    const express = app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
    const mounted = express.router.stack
      .filter((layer) => layer.route && !/\{\*\w+\}$/.test(layer.route.path) && !layer.route.path.startsWith('/dashboard'))
      .flatMap((layer) => Object.keys(layer.route!.methods).map((method) => `${method} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`));
    const documented = Object.entries((JSON.parse(generated) as Document).paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`));
    expect(mounted.length).toBeGreaterThan(10);
    expect(mounted.filter((route) => !documented.includes(route))).toEqual([]);
  });
});
