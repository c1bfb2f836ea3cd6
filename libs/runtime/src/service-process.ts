/**
 * main() of a service running as its own process (distributed mode): the runtime, the operational
 * endpoints and the one service module, on the shared PostgreSQL store and Kafka (DATABASE_URL and
 * KAFKA_BROKERS are required: the embedded store and the in-process bus belong to one process only).
 */
import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { createHttpApp, runProcess } from './http-app';
import { loggerParams } from './logging';
import { OperationsModule } from './operations.module';
import { RuntimeModule } from './runtime.module';

@Module({})
class ServiceProcess {}

/**
 * `relay`: this process runs the outbox relay (exactly one kind of process in a deployment should:
 * intake). `bus`: it publishes or consumes messages, so Kafka is required (the query service only
 * reads the store).
 */
export function runService(name: string, service: Type | DynamicModule, options: { relay: boolean; bus: boolean }): void {
  void runProcess(
    name,
    (config) =>
      createHttpApp({
        module: ServiceProcess,
        imports: [LoggerModule.forRoot(loggerParams(config)), RuntimeModule.forRoot(config), OperationsModule.forRoot(config, { relay: options.relay }), service],
      }),
    { distributed: { bus: options.bus } },
  );
}
