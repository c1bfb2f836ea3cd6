import { Module } from '@nestjs/common';
import { EscalationProcessor } from './escalation.processor';

/** escalation: durable timers, the pack's ladder, the named-worker invariant and age milestones (DESIGN.md "Topology"). */
@Module({ providers: [EscalationProcessor], exports: [EscalationProcessor] })
export class EscalationModule {}
