/**
 * `npm start`: the whole system in one process on http://localhost:3000 (PORT), with its data in
 * ./data (DATA_DIR), or in PostgreSQL when DATABASE_URL is set.
 */
import 'reflect-metadata';
import { runProcess } from '@cto/runtime';
import { createEmbeddedApp } from './bootstrap';

void runProcess('case transfer orchestration', createEmbeddedApp);
