/**
 * `npm start`: the whole system in one process on http://localhost:3000 (PORT), with its data in
 * ./data (DATA_DIR), or in PostgreSQL when DATABASE_URL is set.
 *
 * At start it prints the URL, the store, the bus and (with no key configured) a development token,
 * and logs nothing else at info (runProcess, libs/runtime/src/http-app.ts). Logs are one readable
 * line per event at a terminal, JSON lines otherwise and in production (LOG_FORMAT, logging.ts).
 */
import 'reflect-metadata';
import { runProcess } from '@cto/runtime';
import { createEmbeddedApp } from './bootstrap';

void runProcess('case transfer orchestration', createEmbeddedApp);
