import { TenantSchemaError, TenantSchemaErrorCode } from './tenant-schema.errors.js';

/** The error of a failed schema: the driver's message and, for a database error, PostgreSQL's SQLSTATE. */
export interface SchemaMigrationError {
  readonly message: string;
  /** SQLSTATE such as `42P07` (duplicate table), or a `KWIK_TENANT_*` code; absent for other errors. */
  readonly code?: string;
}

/** A schema that failed: it stopped at `migration`, whose transaction was rolled back. */
export interface SchemaMigrationFailure {
  readonly schema: string;
  /** The migration that failed; `null` when the schema failed before any migration (missing schema, lock timeout). */
  readonly migration: string | null;
  readonly error: SchemaMigrationError;
  /** Migrations this run applied (and kept) in the schema before the failure. */
  readonly applied: readonly string[];
}

/** Outcome of {@link TenantSchemaMigrator.migrate}. */
export interface SchemaMigrationReport {
  /** Schemas in the run. */
  readonly total: number;
  /** Schemas where this run applied at least one migration, with those migrations in order. */
  readonly migrated: readonly { readonly schema: string; readonly applied: readonly string[] }[];
  /** Schemas that had nothing pending (or whose pending migrations another instance applied meanwhile). */
  readonly upToDate: readonly string[];
  /** Schemas that failed; every other schema carried on. */
  readonly failed: readonly SchemaMigrationFailure[];
  /** Schemas migrated at once: `requested` capped to the pool size (`effective < requested` when it was). */
  readonly concurrency: { readonly requested: number; readonly effective: number; readonly poolSize: number };
  /** Wall-clock duration of the run in milliseconds. */
  readonly durationMs: number;
}

/** Where one schema stands, from `TenantSchemaMigrator.status()`. */
export interface SchemaMigrationStatus {
  readonly schema: string;
  /** False when the schema does not exist (then `pending` lists every migration). */
  readonly exists: boolean;
  /** Migrations recorded in the schema's tracking table, in the order they ran. */
  readonly applied: readonly string[];
  /** Migrations not applied yet, in the order they would run. */
  readonly pending: readonly string[];
  /** Recorded migrations this migrator does not know (applied by a newer release?). */
  readonly unknown: readonly string[];
}

/**
 * Throws `KWIK_TENANT_SCHEMA_MIGRATION_FAILED` listing every failed schema when `report` has any, for
 * callers that want provisioning to fail as a whole. The first failure's error is the `cause`.
 *
 * @example
 * assertSchemasMigrated(await migrator.migrate([schema]));
 */
export function assertSchemasMigrated(report: SchemaMigrationReport): void {
  if (report.failed.length === 0) return;
  const lines = report.failed.map(
    (f) =>
      `${f.schema}${f.migration ? ` at ${f.migration}` : ''}: ${f.error.message}${f.error.code ? ` (${f.error.code})` : ''}`,
  );
  throw new TenantSchemaError(
    TenantSchemaErrorCode.SchemaMigrationFailed,
    `${report.failed.length} of ${report.total} tenant schemas failed to migrate; fix the cause and run the migrator again (it applies only what is pending): ${lines.join('; ')}`,
    { cause: report.failed[0]!.error },
  );
}
