import type { TenantModuleOptions } from '@kwik/tenant';
import type { DemoConfig } from './config/demo-config.js';
import { Tenant } from './entities/index.js';
import { DEMO_TENANT_MIGRATIONS } from './migrations/tenant/index.js';

/**
 * The demo's tenancy: `acme` and `globex`, named by `X-Tenant-ID`, the subdomain
 * (`acme.localhost`) or the signed-in user's token; required on every route but sign-in and
 * health. `KWIK_TENANT_STRATEGY` picks row-level security on one schema (`shared`, the default) or
 * a schema per tenant for posts and comments (`schema`).
 */
export function demoTenantOptions(config: DemoConfig): TenantModuleOptions {
  return {
    tenantEntity: Tenant,
    strategy: config.KWIK_TENANT_STRATEGY,
    resolvers: ['header', 'subdomain', 'token'],
    // With the schema strategy posts and comments live in a schema per tenant; users stay shared
    // in `public` under row-level security (sign-in finds them without naming the tenant).
    schema: { migrations: DEMO_TENANT_MIGRATIONS },
  };
}
