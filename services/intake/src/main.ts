/**
 * The intake service as a process of its own (distributed mode): records case events from HTTP and the case-events topic.
 * Needs DATABASE_URL (the store is shared by the processes); KAFKA_BROKERS for the Kafka bus.
 */
import 'reflect-metadata';
import { runService } from '@cto/runtime';
import { IntakeModule } from './intake.module';

runService('intake', IntakeModule, { relay: false });
