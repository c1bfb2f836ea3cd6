import { Module } from '@nestjs/common';
import { CaseEventRecorder } from './case-event-recorder';
import { CaseEventConsumer } from './case-event-consumer';
import { CaseEventsController } from './case-events.controller';

/** intake: validates case events from HTTP and the `case-events` topic and records them as facts (DESIGN.md "Topology"). */
@Module({ controllers: [CaseEventsController, CaseEventConsumer], providers: [CaseEventRecorder], exports: [CaseEventRecorder] })
export class IntakeModule {}
