/**
 * The query service as a process of its own (distributed mode): query: a child's events, transfers and explanation; the packs in force.
 * Needs DATABASE_URL (the store is shared by the processes); KAFKA_BROKERS for the Kafka bus.
 */
import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { createHttpApp, loggerParams, OperationsModule, runProcess, RuntimeModule, type RuntimeConfig } from '@cto/runtime';
import { QueryModule } from './query.module';

@Module({})
class QueryModuleProcess {
  static forRoot(config: RuntimeConfig): DynamicModule {
    return {
      module: QueryModuleProcess,
      imports: [LoggerModule.forRoot(loggerParams(config)), RuntimeModule.forRoot(config), OperationsModule.forRoot(config, { relay: false }), QueryModule],
    };
  }
}

void runProcess('query', (config) => createHttpApp(QueryModuleProcess.forRoot(config)), { requireDatabase: true });
