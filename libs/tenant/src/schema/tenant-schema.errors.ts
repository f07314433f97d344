import { TenantError, TenantErrorCode } from '../tenant.errors.js';

/**
 * Stable codes of the errors the schema-per-tenant engine throws (listed in `docs/errors.md`).
 * A single schema's failed migration is not thrown: it is reported in the `SchemaMigrationReport`.
 */
export const TenantSchemaErrorCode = {
  InvalidSchemaName: TenantErrorCode.InvalidSchemaName,
  InvalidSchemaOptions: TenantErrorCode.InvalidSchemaOptions,
  InvalidMigrations: TenantErrorCode.InvalidMigrations,
  DataSourceNotReady: TenantErrorCode.DataSourceNotReady,
  SchemaNotFound: TenantErrorCode.SchemaNotFound,
  SchemaExists: TenantErrorCode.SchemaExists,
  SchemaMigrationFailed: TenantErrorCode.SchemaMigrationFailed,
  SchemaCloneUnsupported: TenantErrorCode.SchemaCloneUnsupported,
} as const;

/** One of the {@link TenantSchemaErrorCode} values. */
export type TenantSchemaErrorCodeValue = (typeof TenantSchemaErrorCode)[keyof typeof TenantSchemaErrorCode];

/**
 * A misuse of the schema-per-tenant engine (bad name, bad migrations list, unusable template): a
 * {@link TenantError} whose `code` is one of {@link TenantSchemaErrorCode}; the message says how to fix it.
 *
 * @example
 * try { await cloneSchema(ds, 'kwik_tenant_template', 'tenant_acme'); }
 * catch (e) {
 *   if (e instanceof TenantSchemaError && e.code === TenantSchemaErrorCode.SchemaCloneUnsupported)
 *     await migrator.migrate(['tenant_acme']);
 * }
 */
export class TenantSchemaError extends TenantError {
  declare readonly code: TenantSchemaErrorCodeValue;

  constructor(code: TenantSchemaErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'TenantSchemaError';
  }
}
