import { fileURLToPath } from 'node:url';
import { environmentWith, loadConfig } from '@kwik/core';
import { DemoConfig } from './config/demo-config.js';
import { demoDatabaseOptions } from './database.options.js';
import { DEMO_TENANT_MIGRATIONS } from './migrations/tenant/index.js';

/**
 * The demo's database for the migrations CLI (`npm run migration:*`): the same options the app
 * uses, from the same environment and `.env` (`DATABASE_URL` set → that server, unset → `.kwik/pglite`).
 */
export default () => demoDatabaseOptions(loadConfig(DemoConfig, environmentWith('.env')));

/** Where `migration:generate` writes new migration files (the sources, not dist/). */
export const migrationsDir = fileURLToPath(new URL('../src/migrations', import.meta.url));

/** The tenant migrations for `npm run migration:tenants` (schema strategy). */
export const tenantMigrations = DEMO_TENANT_MIGRATIONS;
