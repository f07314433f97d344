import { TenantSchemaError, TenantSchemaErrorCode } from '../tenant-schema.errors.js';

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function invalid(message: string): TenantSchemaError {
  return new TenantSchemaError(TenantSchemaErrorCode.InvalidSchemaOptions, message);
}

/** `trackingTable`: a plain, unqualified table name. */
export function checkTrackingTable(name: string): string {
  if (typeof name !== 'string' || !TABLE_NAME.test(name))
    throw invalid(
      `trackingTable must be a plain table name such as "kwik_tenant_migrations" (got "${String(name)}").`,
    );
  return name;
}

/** `lockTimeoutMs`: undefined, or whole milliseconds ≥ 0. */
export function checkLockTimeout(ms: number | undefined): number | undefined {
  if (ms !== undefined && !(Number.isInteger(ms) && ms >= 0))
    throw invalid(`lockTimeoutMs must be a whole number of milliseconds ≥ 0 (got ${String(ms)}).`);
  return ms;
}

/** `concurrency`: whole number ≥ 1. */
export function checkConcurrency(n: number): number {
  if (!Number.isInteger(n) || n < 1)
    throw invalid(`concurrency must be a whole number ≥ 1 (got ${String(n)}).`);
  return n;
}

/** A list of schema names: an array (each name is checked by the caller). */
export function checkArray<T>(list: readonly T[], what: string): readonly T[] {
  if (!Array.isArray(list)) throw invalid(`${what} must be an array.`);
  return list;
}
