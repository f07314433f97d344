import type { DatabaseModuleOptions } from '@kwik/database';
import type { DemoConfig } from './config/demo-config.js';
import { DEMO_ENTITIES } from './entities/index.js';
import { DEMO_MIGRATIONS } from './migrations/index.js';

/**
 * The demo's database settings, shared by the app and the migrations / seed CLIs:
 * `DATABASE_URL` set → that PostgreSQL server; unset → embedded PGlite under `.kwik/pglite`.
 * Migrations run at boot; the schema is never synchronized from entities.
 */
export function demoDatabaseOptions(config: DemoConfig): DatabaseModuleOptions {
  return {
    url: config.DATABASE_URL,
    entities: DEMO_ENTITIES,
    migrations: DEMO_MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
    applicationName: 'kwik-demo',
  };
}
