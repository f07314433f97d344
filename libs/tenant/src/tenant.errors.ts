import { KwikError } from '@kwik/core';

/** Stable codes of the tenancy library's developer-facing errors (listed in `docs/errors.md`). */
export const TenantErrorCode = {
  /** `TenantModule.forRoot()` options are wrong; the message lists every problem. */
  InvalidOptions: 'KWIK_TENANT_INVALID_OPTIONS',
  /** A `@TenantScoped()` table lacks its row-level security, or the app role is missing. */
  RlsMissing: 'KWIK_TENANT_RLS_MISSING',
  /** Code asked for the current tenant where there is none. */
  NotResolved: 'KWIK_TENANT_NOT_RESOLVED',
  /** A `@TenantScoped()` entity is declared wrongly (no tenant column, ...). */
  InvalidEntity: 'KWIK_TENANT_INVALID_ENTITY',
  /** A tenant slug, schema name or setting was refused by the registry. */
  InvalidTenant: 'KWIK_TENANT_INVALID_TENANT',
  /** A tenant slug, schema-name prefix or schema name cannot become a tenant schema. */
  InvalidSchemaName: 'KWIK_TENANT_INVALID_SCHEMA_NAME',
  /** An option of the schema migrator, cloner or grants helper is out of range. */
  InvalidSchemaOptions: 'KWIK_TENANT_INVALID_SCHEMA_OPTIONS',
  /** The tenant migrations list holds something that is not a migration, a name twice, or no timestamp. */
  InvalidMigrations: 'KWIK_TENANT_INVALID_MIGRATIONS',
  /** The TypeORM `DataSource` is not initialised, or is not PostgreSQL. */
  DataSourceNotReady: 'KWIK_TENANT_DATA_SOURCE_NOT_READY',
  /** A schema named to migrate, inspect or clone from does not exist. */
  SchemaNotFound: 'KWIK_TENANT_SCHEMA_NOT_FOUND',
  /** The schema a clone would create already exists. */
  SchemaExists: 'KWIK_TENANT_SCHEMA_EXISTS',
  /** At least one tenant schema failed to migrate; the message lists them (the others are migrated). */
  SchemaMigrationFailed: 'KWIK_TENANT_SCHEMA_MIGRATION_FAILED',
  /** The template holds objects a clone cannot copy faithfully; provision by running the migrations instead. */
  SchemaCloneUnsupported: 'KWIK_TENANT_SCHEMA_CLONE_UNSUPPORTED',
} as const;

/** One of the {@link TenantErrorCode} values. */
export type TenantErrorCodeValue = (typeof TenantErrorCode)[keyof typeof TenantErrorCode];

/**
 * A misconfiguration or misuse of the tenancy library: thrown at boot or by an API called wrongly,
 * never for bad client input (that is a problem+json answer).
 *
 * @example
 * throw new TenantError(TenantErrorCode.NotResolved, 'No tenant in this context: ...');
 */
export class TenantError extends KwikError {
  constructor(code: TenantErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'TenantError';
  }
}
