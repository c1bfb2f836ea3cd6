/**
 * `npm start`: the whole system in one process on http://localhost:3000 (PORT), with its data in
 * ./data (DATA_DIR), or in PostgreSQL when DATABASE_URL is set.
 */
import 'reflect-metadata';
import { ConfigInvalid, loadConfig } from '@cto/runtime';
import { createEmbeddedApp } from './bootstrap';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigInvalid) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const app = await createEmbeddedApp(config);
  await app.listen(config.port);
  const store = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  process.stdout.write(`case transfer orchestration listening on ${url} — store: ${store}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
