/**
 * The allocation service as a process of its own (distributed mode): allocation: follows recorded facts, records decisions, and relays them to transfer-events.
 * Needs DATABASE_URL (the store is shared by the processes); KAFKA_BROKERS for the Kafka bus.
 */
import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { createHttpApp, loggerParams, OperationsModule, runProcess, RuntimeModule, type RuntimeConfig } from '@cto/runtime';
import { AllocationModule } from './allocation.module';

@Module({})
class AllocationModuleProcess {
  static forRoot(config: RuntimeConfig): DynamicModule {
    return {
      module: AllocationModuleProcess,
      imports: [LoggerModule.forRoot(loggerParams(config)), RuntimeModule.forRoot(config), OperationsModule.forRoot(config, { relay: true }), AllocationModule],
    };
  }
}

void runProcess('allocation', (config) => createHttpApp(AllocationModuleProcess.forRoot(config)), { requireDatabase: true });
