/**
 * The escalation service as a process of its own (distributed mode): durable timers, the escalation ladder, the named-worker invariant and age milestones.
 * Needs DATABASE_URL (the store is shared by the processes) and KAFKA_BROKERS.
 */
import 'reflect-metadata';
import { runService } from '@cto/runtime';
import { EscalationModule } from './escalation.module';

runService('escalation', EscalationModule, { relay: false, bus: true });
