// The demo's modules as the Kwik benchmark servers configure them (kwik-auth-posts, kwik-tenant-posts,
// kwik-cache-posts, kwik-floor): one place, so the servers differ only in what they measure.
import { KwikModule } from '@kwik/core';
import { LoggingModule } from '@kwik/logging';
import { DatabaseModule } from '@kwik/database';
import { AuthModule } from '@kwik/auth';
import { TenantModule } from '@kwik/tenant';
import { DEMO_ENTITIES, Tenant, User } from '../../apps/demo/dist/entities/index.js';
import { DEMO_MIGRATIONS } from '../../apps/demo/dist/migrations/index.js';
import { DEMO_TENANT_MIGRATIONS } from '../../apps/demo/dist/migrations/tenant/index.js';
import { DEMO_ROLES_PERMISSIONS } from '../../apps/demo/dist/auth/demo-roles.js';
import { DemoConfig } from '../../apps/demo/dist/config/demo-config.js';

/** A rate-limit tier far above what a run sends: every request is counted, none refused. */
export const UNREACHED_TIER = { limit: 100_000_000, window: '1m' };

/** Core (the demo's config, no docs) and logging under the server's service name. */
export function coreModules(service) {
  return [
    KwikModule.forRoot({ config: DemoConfig, docs: false }),
    LoggingModule.forRoot({ base: { service } }),
  ];
}

/** The demo's entities and migrations on DATABASE_URL, migrated at boot. */
export function demoDatabase() {
  return DatabaseModule.forRoot({
    url: process.env.DATABASE_URL,
    entities: DEMO_ENTITIES,
    migrations: DEMO_MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
  });
}

/** The demo's users and roles, signing in at `api/auth`. */
export function demoAuth() {
  return AuthModule.forRoot({ userEntity: User, roles: DEMO_ROLES_PERMISSIONS, path: 'api/auth' });
}

/** The demo's tenancy with `strategy`, resolved by `resolvers`, without the admin endpoints. */
export function demoTenancy(strategy = 'shared', resolvers = ['header', 'token']) {
  return TenantModule.forRoot({
    tenantEntity: Tenant,
    strategy,
    resolvers,
    schema: { migrations: DEMO_TENANT_MIGRATIONS },
    adminPath: false,
  });
}
