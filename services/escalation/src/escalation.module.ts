import { Module } from '@nestjs/common';
import { EscalationCommands } from './escalation-commands';
import { EscalationProcessor } from './escalation.processor';
import { EscalationsCommandController } from './escalations.controller';

/** escalation: durable timers, the pack's ladder, the named-worker invariant and age milestones; managers escalating by hand (DESIGN.md "Topology"). */
@Module({ controllers: [EscalationsCommandController, EscalationProcessor], providers: [EscalationCommands] })
export class EscalationModule {}
