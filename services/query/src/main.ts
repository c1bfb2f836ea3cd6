/**
 * The query service as a process of its own (distributed mode): the child's record, policies and escalations over HTTP.
 * Needs DATABASE_URL (the store is shared by the processes); it reads the store only, so no Kafka.
 */
import 'reflect-metadata';
import { runService } from '@cto/runtime';
import { QueryModule } from './query.module';

runService('query', QueryModule, { relay: false, bus: false });
