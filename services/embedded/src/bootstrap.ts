import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { dtoValidationPipe, HttpErrorFilter, type RuntimeConfig } from '@cto/runtime';
import { EmbeddedAppModule } from './app.module';

/** Builds the embedded application (used by main.ts and by the end-to-end tests). */
export async function createEmbeddedApp(config: RuntimeConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(EmbeddedAppModule.forRoot(config), {
    bufferLogs: true,
    // A failed start throws to the caller (main.ts prints why and exits), instead of Nest's process.exit.
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  // 500 case events of realistic size fit comfortably; anything larger is refused with 413.
  app.useBodyParser('json', { limit: '2mb' });
  app.useGlobalPipes(dtoValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  return app;
}
