import { escapeIdentifier } from 'pg';
import { TENANT_SLUG } from '../tenancy-config.js';
import { TenantSchemaError, TenantSchemaErrorCode } from './tenant-schema.errors.js';

/** Prefix of tenant schema names: `tenant_acme` for slug `acme`. */
export const DEFAULT_TENANT_SCHEMA_PREFIX = 'tenant_';

/** PostgreSQL truncates longer identifiers silently (NAMEDATALEN - 1), so two tenants could share a schema. */
const MAX_IDENTIFIER_BYTES = 63;
// Same rule as the registry's TENANT_SLUG: a DNS label. Slugs never hold `_`, so `a-b` and `a_b` cannot collide.
const SLUG = TENANT_SLUG;
const PREFIX = /^[a-z_][a-z0-9_]*$/;
const RESERVED = new Set(['public', 'information_schema']);

function invalid(message: string): TenantSchemaError {
  return new TenantSchemaError(TenantSchemaErrorCode.InvalidSchemaName, message);
}

/**
 * The schema of the tenant with `slug`: `prefix + slug` with hyphens turned into underscores
 * (`acme-eu` → `tenant_acme_eu`), so the name needs no quoting. Throws
 * `KWIK_TENANT_INVALID_SCHEMA_NAME` for a slug that is not a DNS label, a bad prefix, or a result over
 * PostgreSQL's 63-byte identifier limit (which it would otherwise truncate silently).
 * Put the result into SQL only through {@link quoteSchemaName}.
 *
 * @example
 * tenantSchemaName('acme-eu'); // 'tenant_acme_eu'
 * tenantSchemaName('acme', 't_'); // 't_acme'
 */
export function tenantSchemaName(slug: string, prefix: string = DEFAULT_TENANT_SCHEMA_PREFIX): string {
  if (typeof slug !== 'string' || !SLUG.test(slug)) {
    throw invalid(
      `"${String(slug)}" is not a tenant slug: use 1–63 lower-case letters, digits and inner hyphens (a DNS label, e.g. "acme-eu").`,
    );
  }
  if (typeof prefix !== 'string' || !PREFIX.test(prefix) || prefix.startsWith('pg_')) {
    throw invalid(
      `"${String(prefix)}" cannot prefix schema names: use lower-case letters, digits and underscores, not starting with a digit or "pg_" (e.g. "tenant_").`,
    );
  }
  const name = `${prefix}${slug.replaceAll('-', '_')}`;
  if (name.length > MAX_IDENTIFIER_BYTES) {
    throw invalid(
      `The schema of tenant "${slug}" would be "${name}", ${name.length} bytes: PostgreSQL keeps only ${MAX_IDENTIFIER_BYTES}. Use a slug of at most ${MAX_IDENTIFIER_BYTES - prefix.length} characters or a shorter prefix.`,
    );
  }
  return name;
}

/**
 * Checks that `name` can be a tenant (or template) schema and returns it: a non-empty identifier of at
 * most 63 bytes without NUL, and not `public`, `information_schema` or `pg_*` (PostgreSQL's own).
 * Throws `KWIK_TENANT_INVALID_SCHEMA_NAME` otherwise.
 *
 * @example
 * assertSchemaName('tenant_acme'); // 'tenant_acme'
 * assertSchemaName('public'); // throws: tenant migrations never run in public
 */
export function assertSchemaName(name: string): string {
  if (typeof name !== 'string' || name.length === 0 || name.includes('\0')) {
    throw invalid(
      `${JSON.stringify(name)} is not a schema name: use a non-empty identifier such as "tenant_acme".`,
    );
  }
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_IDENTIFIER_BYTES) {
    throw invalid(
      `Schema name "${name}" is ${bytes} bytes; PostgreSQL keeps only ${MAX_IDENTIFIER_BYTES} and would truncate it. Use a shorter name.`,
    );
  }
  if (RESERVED.has(name) || name.startsWith('pg_')) {
    throw invalid(
      `"${name}" is a shared or system schema, not a tenant schema: tenant tables go in their own schema (e.g. "tenant_acme").`,
    );
  }
  return name;
}

/**
 * The schema name as a quoted SQL identifier (pg's `escapeIdentifier`), after {@link assertSchemaName}.
 *
 * @example
 * await ds.query(`SET LOCAL search_path TO ${quoteSchemaName(schema)}, public`);
 */
export function quoteSchemaName(name: string): string {
  return escapeIdentifier(assertSchemaName(name));
}
