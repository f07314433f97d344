import { escapeIdentifier } from 'pg';
import type { DataSource } from 'typeorm';
import { requireReady } from './internal/data-source.js';
import { checkLockTimeout } from './internal/options.js';
import { inTransaction } from './internal/transaction.js';
import { TenantSchemaError, TenantSchemaErrorCode } from './tenant-schema.errors.js';
import { quoteSchemaName } from './tenant-schema-name.js';

/** Options of {@link grantSchemaTo}. */
export interface SchemaGrantOptions {
  /**
   * Role whose future tables and sequences in the schema the default privileges cover (`ALTER DEFAULT
   * PRIVILEGES FOR ROLE …`): the role that runs the tenant migrations.
   * @default the connecting role
   */
  owner?: string;
  /** `lock_timeout` of the transaction in milliseconds. @default the server's */
  lockTimeoutMs?: number;
}

function checkRole(role: string, option: string): string {
  if (typeof role !== 'string' || role.length === 0 || role.includes('\0') || Buffer.byteLength(role) > 63)
    throw new TenantSchemaError(
      TenantSchemaErrorCode.InvalidSchemaOptions,
      `${option} must be a role name of 1–63 bytes (got ${JSON.stringify(role)}).`,
    );
  return escapeIdentifier(role);
}

/**
 * Lets `role` use the tenant schema's data without owning it, for apps that query as a non-owner role:
 * `USAGE` on the schema, `SELECT, INSERT, UPDATE, DELETE` on its tables, `USAGE` on its sequences
 * (`nextval` of `serial` columns), and the same by default on tables and sequences created there later
 * by `owner` (the migrations). No `CREATE`, `TRUNCATE`, `REFERENCES` or `TRIGGER`. Idempotent; run it
 * after provisioning (a clone does not copy grants).
 *
 * @example
 * await cloneSchema(dataSource, 'kwik_tenant_template', 'tenant_acme');
 * await grantSchemaTo(dataSource, 'tenant_acme', 'kwik_app');
 */
export async function grantSchemaTo(
  dataSource: DataSource,
  schema: string,
  role: string,
  options: SchemaGrantOptions = {},
): Promise<void> {
  requireReady(dataSource, 'grantSchemaTo()');
  const s = quoteSchemaName(schema);
  const r = checkRole(role, 'role');
  const forRole = options.owner === undefined ? '' : ` FOR ROLE ${checkRole(options.owner, 'owner')}`;
  const statements = [
    `GRANT USAGE ON SCHEMA ${s} TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${r}`,
    `GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${s} TO ${r}`,
    `ALTER DEFAULT PRIVILEGES${forRole} IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r}`,
    `ALTER DEFAULT PRIVILEGES${forRole} IN SCHEMA ${s} GRANT USAGE ON SEQUENCES TO ${r}`,
  ];
  await inTransaction(
    dataSource,
    async (qr) => {
      for (const sql of statements) await qr.query(sql);
    },
    checkLockTimeout(options.lockTimeoutMs),
  );
}
