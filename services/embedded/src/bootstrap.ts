import type { INestApplication } from '@nestjs/common';
import { createHttpApp, type RuntimeConfig } from '@cto/runtime';
import { EmbeddedAppModule } from './app.module';

/** Builds the embedded application (used by main.ts and by the end-to-end tests). */
export const createEmbeddedApp = async (config: RuntimeConfig): Promise<INestApplication> => createHttpApp(EmbeddedAppModule.forRoot(config));
