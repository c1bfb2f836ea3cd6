/**
 * Builds the whole system's HTTP application (every service module, as `npm start` composes them)
 * without listening or starting its followers, and generates its OpenAPI document. The store is a
 * throw-away embedded one: nothing about the document depends on data.
 */
import { Module } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LoggerModule } from 'nestjs-pino';
import { AllocationModule } from '@cto/allocation';
import { ChecklistModule } from '@cto/checklist';
import { EscalationModule } from '@cto/escalation';
import { IntakeModule } from '@cto/intake';
import { QueryModule } from '@cto/query';
import { createHttpApp, loadConfig, loggerParams, OperationsModule, openApiDocument, RuntimeModule, serialiseOpenApi } from '@cto/runtime';

export const REPOSITORY_ROOT = resolve(__dirname, '../../..');
export const OPENAPI_FILE = join(REPOSITORY_ROOT, 'contracts', 'openapi.json');

@Module({})
class OpenApiApp {}

/** contracts/openapi.json as it should be now. The environment is fixed (not read), so the result depends only on the code. */
export async function generateOpenApiJson(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cto-openapi-'));
  try {
    // Outside production, so the admin clock is documented (marked as such in its summary).
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, REPOSITORY_ROOT);
    const app = await createHttpApp({
      module: OpenApiApp,
      imports: [
        LoggerModule.forRoot(loggerParams(config)),
        RuntimeModule.forRoot(config),
        OperationsModule.forRoot(config),
        IntakeModule,
        AllocationModule,
        ChecklistModule,
        EscalationModule,
        QueryModule,
      ],
    });
    try {
      return serialiseOpenApi(openApiDocument(app));
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
