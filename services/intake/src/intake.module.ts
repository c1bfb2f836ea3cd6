import { Module } from '@nestjs/common';
import { CaseEventRecorder } from './case-event-recorder';
import { CaseEventsController } from './case-events.controller';

/** intake: validates case events and records them as facts (DESIGN.md "Topology"). */
@Module({ controllers: [CaseEventsController], providers: [CaseEventRecorder], exports: [CaseEventRecorder] })
export class IntakeModule {}
