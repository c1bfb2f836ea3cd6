/**
 * The allocation service as a process of its own (distributed mode): decides transfers and takes managers' answers.
 * Needs DATABASE_URL (the store is shared by the processes) and KAFKA_BROKERS.
 */
import 'reflect-metadata';
import { runService } from '@cto/runtime';
import { AllocationModule } from './allocation.module';

runService('allocation', AllocationModule, { relay: false, bus: true });
