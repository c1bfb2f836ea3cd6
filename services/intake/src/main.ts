/**
 * The intake service as a process of its own (distributed mode): intake: POST /v1/case-events and the case-events topic; records facts.
 * Needs DATABASE_URL (the store is shared by the processes); KAFKA_BROKERS for the Kafka bus.
 */
import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { createHttpApp, loggerParams, OperationsModule, runProcess, RuntimeModule, type RuntimeConfig } from '@cto/runtime';
import { IntakeModule } from './intake.module';

@Module({})
class IntakeModuleProcess {
  static forRoot(config: RuntimeConfig): DynamicModule {
    return {
      module: IntakeModuleProcess,
      imports: [LoggerModule.forRoot(loggerParams(config)), RuntimeModule.forRoot(config), OperationsModule.forRoot(config, { relay: false }), IntakeModule],
    };
  }
}

void runProcess('intake', (config) => createHttpApp(IntakeModuleProcess.forRoot(config)), { requireDatabase: true });
