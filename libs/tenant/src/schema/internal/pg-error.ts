import type { SchemaMigrationError } from '../schema-migration-report.js';

function codeOf(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  // TypeORM copies the driver's fields onto QueryFailedError; keep driverError as a fallback.
  const own = (error as { code?: unknown }).code;
  const driver = (error as { driverError?: { code?: unknown } }).driverError?.code;
  return typeof own === 'string' ? own : typeof driver === 'string' ? driver : undefined;
}

/** The message and code of an error as the report shows it (for a failed rollback, the first error's code). */
export function describeError(error: unknown): SchemaMigrationError {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = codeOf(error) ?? (error instanceof AggregateError ? codeOf(error.errors[0]) : undefined);
  return code === undefined ? { message: error.message } : { message: error.message, code };
}
