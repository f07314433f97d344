import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_GUARD, RouterModule } from '@nestjs/core';
import { TenantGuard } from './access/tenant.guard.js';
import { TenantContext } from './context/tenant-context.service.js';
import { TenantBoot } from './database/tenant-boot.js';
import { TenantSession } from './database/tenant-session.js';
import { TenantsController } from './http/tenants.controller.js';
import { TenantAdminGuard } from './http/tenant-admin.guard.js';
import { TenantRegistry } from './registry/tenant-registry.service.js';
import { TenantSettings } from './registry/tenant-settings.service.js';
import { TenantStorage } from './registry/tenant-storage.js';
import { TenantDirectory } from './resolution/tenant-directory.js';
import { TenantResolution } from './resolution/tenant-resolution.js';
import { TenantSchemas } from './storage/tenant-schemas.service.js';
import type { TenantModuleOptions } from './tenant-options.interface.js';
import { TENANCY_CONFIG, TENANT_MODULE_OPTIONS } from './tenant.constants.js';
import { resolveTenancyConfig, type TenancyConfig } from './tenancy-config.js';
import {
  TENANT_ASYNC_OPTIONS_TYPE,
  TENANT_OPTIONS_TYPE,
  TenantConfigurableModule,
} from './tenant.module-definition.js';

const storage: Provider = {
  provide: TenantStorage,
  inject: [TENANCY_CONFIG, TenantSchemas],
  useFactory: (config: TenancyConfig, schemas: TenantSchemas) =>
    config.strategy === 'schema' ? schemas : undefined,
};

/**
 * Multi-tenancy: resolves each request's tenant (header, subdomain, token), keeps tenants apart in
 * PostgreSQL (row-level security on a shared schema, or a schema per tenant) on every statement,
 * and manages the tenant registry, settings and feature flags.
 *
 * @example
 * TenantModule.forRoot({ tenantEntity: Tenant, strategy: 'shared', resolvers: ['header', 'subdomain', 'token'] })
 */
@Module({
  providers: [
    {
      provide: TENANCY_CONFIG,
      inject: [TENANT_MODULE_OPTIONS],
      useFactory: (options: TenantModuleOptions) => resolveTenancyConfig(options),
    },
    TenantDirectory,
    TenantResolution,
    TenantContext,
    TenantSession,
    TenantSettings,
    TenantSchemas,
    storage,
    TenantRegistry,
    TenantBoot,
    TenantAdminGuard,
    TenantGuard,
    { provide: APP_GUARD, useExisting: TenantGuard },
  ],
  exports: [TenantContext, TenantSettings, TenantRegistry, TenantDirectory, TenantSession, TenantSchemas],
})
export class TenantModule extends TenantConfigurableModule {
  static override forRoot(options: typeof TENANT_OPTIONS_TYPE): DynamicModule {
    return withAdmin(super.forRoot(options), options.adminPath);
  }

  static override forRootAsync(options: typeof TENANT_ASYNC_OPTIONS_TYPE): DynamicModule {
    return withAdmin(super.forRootAsync(options), options.adminPath);
  }
}

/** Mounts the admin endpoints under `path` (RouterModule prefixes this module's routes). */
function withAdmin(module: DynamicModule, path: string | false = 'tenants'): DynamicModule {
  if (path === false) return module;
  return {
    ...module,
    controllers: [...(module.controllers ?? []), TenantsController],
    imports: [...(module.imports ?? []), RouterModule.register([{ path, module: TenantModule }])],
  };
}
