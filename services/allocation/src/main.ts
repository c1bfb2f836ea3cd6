/**
 * The allocation service as a process of its own (distributed mode): decides transfers and takes managers' answers, and relays every decision to transfer-events.
 * Needs DATABASE_URL (the store is shared by the processes); KAFKA_BROKERS for the Kafka bus.
 */
import 'reflect-metadata';
import { runService } from '@cto/runtime';
import { AllocationModule } from './allocation.module';

runService('allocation', AllocationModule, { relay: true });
