/**
 * The checklist service as a process of its own (distributed mode): opens transfer checklists and marks their items met.
 * Needs DATABASE_URL (the store is shared by the processes) and KAFKA_BROKERS.
 */
import 'reflect-metadata';
import { runService } from '@cto/runtime';
import { ChecklistModule } from './checklist.module';

runService('checklist', ChecklistModule, { relay: false, bus: true });
