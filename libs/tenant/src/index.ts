export { TenantModule } from './tenant.module.js';
export {
  TENANT_ASYNC_OPTIONS_TYPE,
  TENANT_OPTIONS_TYPE,
  type TenantModuleExtras,
} from './tenant.module-definition.js';
export type { TenantModuleOptions, TenantResolverSpec, TenantStrategy } from './tenant-options.interface.js';
export { resolveTenancyConfig, TENANT_SLUG, type TenancyConfig } from './tenancy-config.js';
export { TENANCY_CONFIG, TENANT_MODULE_OPTIONS } from './tenant.constants.js';
export { TenantError, TenantErrorCode, type TenantErrorCodeValue } from './tenant.errors.js';
export { TenantProblemKind } from './tenant.problems.js';
export { TenantOptional } from '@kwik/core';

export {
  KwikTenant,
  TENANT_STATUSES,
  type TenantSettingsDocument,
  type TenantStatus,
} from './entities/kwik-tenant.entity.js';
export {
  TenantScoped,
  tenantScopeOf,
  type TenantScopedOptions,
} from './decorators/tenant-scoped.decorator.js';
export { CurrentTenant } from './decorators/current-tenant.decorator.js';

export { TenantResolver, type TenantHint } from './resolution/tenant-resolver.js';
export { HeaderTenantResolver } from './resolution/drivers/header-tenant.resolver.js';
export { SubdomainTenantResolver } from './resolution/drivers/subdomain-tenant.resolver.js';
export { TokenTenantResolver } from './resolution/drivers/token-tenant.resolver.js';
export { TenantDirectory, type TenantKey } from './resolution/tenant-directory.js';
export type { TenantRecord } from './resolution/tenant-record.js';
export { TenantGuard } from './access/tenant.guard.js';
export { TenantContext, type TenantSnapshot } from './context/tenant-context.service.js';

export { TenantSession } from './database/tenant-session.js';
export {
  TENANT_POLICY,
  disableTenantRlsSql,
  enableTenantRlsSql,
  revokeTenantLeakproofSql,
  revokeTenantRoleSql,
  tenantLeakproofSql,
  tenantRoleSql,
  type TenantRlsSqlOptions,
} from './database/tenant-rls.sql.js';
export { tenantCrudHook, type TenantCrudHook } from './crud/tenant-crud.hook.js';

export {
  TenantRegistry,
  type ProvisionTenant,
  type UpdateTenant,
} from './registry/tenant-registry.service.js';
export { TenantSettings, type EffectiveTenantSettings } from './registry/tenant-settings.service.js';
export {
  defineTenantSettings,
  type TenantFeatureKey,
  type TenantSettingKey,
  type TenantSettingSpec,
  type TenantSettingValue,
  type TenantSettingsDefinition,
} from './registry/tenant-settings.definition.js';
export { TenantStorage } from './registry/tenant-storage.js';
export { TenantSchemas } from './storage/tenant-schemas.service.js';
export {
  DEFAULT_TENANT_SCHEMA_PREFIX,
  assertSchemaName,
  quoteSchemaName,
  tenantSchemaName,
} from './schema/tenant-schema-name.js';
export {
  TenantSchemaError,
  TenantSchemaErrorCode,
  type TenantSchemaErrorCodeValue,
} from './schema/tenant-schema.errors.js';
export { TenantSchemaMigrator } from './schema/schema-migrator.js';
export type {
  SchemaMigrateOptions,
  SchemaMigrationProgress,
  TenantMigration,
  TenantSchemaMigratorOptions,
} from './schema/schema-migrator-options.interface.js';
export {
  assertSchemasMigrated,
  type SchemaMigrationError,
  type SchemaMigrationFailure,
  type SchemaMigrationReport,
  type SchemaMigrationStatus,
} from './schema/schema-migration-report.js';
export { cloneSchema, type SchemaCloneOptions, type SchemaCloneResult } from './schema/schema-cloner.js';
export { grantSchemaTo, type SchemaGrantOptions } from './schema/schema-grants.js';
export {
  parseTenantCliArgs,
  runTenantCli,
  TENANT_CLI_USAGE,
  type TenantCliArgs,
  type TenantCliModule,
} from './cli/tenant-cli.js';

export {
  assertTenantIsolation,
  TenantIsolationError,
  type IsolationRequest,
  type IsolationTenant,
  type TenantIsolationOptions,
  type TenantIsolationReport,
} from './testing/tenant-isolation.js';
