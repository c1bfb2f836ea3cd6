/**
 * main() of a service running as its own process (distributed mode): the runtime, the operational
 * endpoints and the one service module, on the shared PostgreSQL store (DATABASE_URL is required:
 * the embedded store belongs to one process only).
 */
import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { createHttpApp, runProcess } from './http-app';
import { loggerParams } from './logging';
import { OperationsModule } from './operations.module';
import { RuntimeModule } from './runtime.module';

@Module({})
class ServiceProcess {}

/** `relay`: this process publishes decisions to transfer-events (exactly one kind of process in a deployment should). */
export function runService(name: string, service: Type | DynamicModule, options: { relay: boolean }): void {
  void runProcess(
    name,
    (config) =>
      createHttpApp({
        module: ServiceProcess,
        imports: [LoggerModule.forRoot(loggerParams(config)), RuntimeModule.forRoot(config), OperationsModule.forRoot(config, options), service],
      }),
    { requireDatabase: true },
  );
}
