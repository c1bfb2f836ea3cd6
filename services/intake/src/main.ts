/**
 * The intake service as a process of its own (distributed mode): records case events from HTTP and the case-events topic, and relays everything recorded to recorded-facts and transfer-events (the outbox).
 * Needs DATABASE_URL (the store is shared by the processes) and KAFKA_BROKERS.
 */
import 'reflect-metadata';
import { runService } from '@cto/runtime';
import { IntakeModule } from './intake.module';

runService('intake', IntakeModule, { relay: true, bus: true });
