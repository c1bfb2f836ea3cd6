/**
 * The embedded composition: every service in one process, on the embedded store and the
 * in-process bus (DESIGN.md "Two ways to run, one code path"). The root module only imports.
 */
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AllocationModule } from '@cto/allocation';
import { ChecklistModule } from '@cto/checklist';
import { EscalationModule } from '@cto/escalation';
import { IntakeModule } from '@cto/intake';
import { QueryModule } from '@cto/query';
import { loggerParams, OperationsModule, RuntimeModule, type RuntimeConfig } from '@cto/runtime';

@Module({})
export class EmbeddedAppModule {
  static forRoot(config: RuntimeConfig): DynamicModule {
    return {
      module: EmbeddedAppModule,
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
    };
  }
}
