import { escapeIdentifier, escapeLiteral } from 'pg';

/** Options of the row-level security SQL helpers. */
export interface TenantRlsSqlOptions {
  /** The non-owner role tenant-scoped statements run as. @default 'kwik_app' */
  role?: string;
  /** The setting holding the current tenant id. @default 'kwik.tenant_id' */
  setting?: string;
  /** Name of the policy. @default 'kwik_tenant_isolation' */
  policy?: string;
}

/** The policy name the boot check looks for. */
export const TENANT_POLICY = 'kwik_tenant_isolation';

/** `"schema"."table"` or `"table"`. */
function qualified(table: string): string {
  return table.split('.').map(escapeIdentifier).join('.');
}

/**
 * SQL (for a migration's `up`) that creates the non-owner role tenant-scoped statements run as —
 * once per cluster, safe to run from several databases at once — lets the connecting user switch
 * to it, and grants it the data of `schema` (current and future tables and sequences).
 *
 * @example
 * for (const sql of tenantRoleSql()) await queryRunner.query(sql);
 */
export function tenantRoleSql(options: { role?: string; schema?: string } = {}): string[] {
  const role = options.role ?? 'kwik_app';
  const r = escapeIdentifier(role);
  const s = escapeIdentifier(options.schema ?? 'public');
  return [
    `DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${escapeLiteral(role)}) THEN
    CREATE ROLE ${r} NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- created meanwhile by another database's migration
END $$`,
    `DO $$ BEGIN
  IF NOT pg_has_role(current_user, ${escapeLiteral(role)}, 'MEMBER') THEN
    EXECUTE 'GRANT ${r.replace(/'/g, "''")} TO ' || quote_ident(current_user);
  END IF;
END $$`,
    `GRANT USAGE ON SCHEMA ${s} TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${r}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${r}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT USAGE, SELECT ON SEQUENCES TO ${r}`,
  ];
}

/** SQL (for a migration's `down`) that takes back what {@link tenantRoleSql} granted in `schema` (the role stays: other databases may use it). */
export function revokeTenantRoleSql(options: { role?: string; schema?: string } = {}): string[] {
  const r = escapeIdentifier(options.role ?? 'kwik_app');
  const s = escapeIdentifier(options.schema ?? 'public');
  return [
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} REVOKE USAGE, SELECT ON SEQUENCES FROM ${r}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM ${r}`,
    `REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${s} FROM ${r}`,
    `REVOKE ALL ON ALL TABLES IN SCHEMA ${s} FROM ${r}`,
    `REVOKE USAGE ON SCHEMA ${s} FROM ${r}`,
  ];
}

/**
 * SQL (for a migration's `up`) that turns on row-level security for a tenant-owned table: rows are
 * visible to and writable by the app role only when their tenant column equals the current
 * tenant setting; with no tenant set, nothing is (fail closed).
 *
 * @example
 * for (const sql of enableTenantRlsSql('posts', 'tenantId')) await queryRunner.query(sql);
 */
export function enableTenantRlsSql(
  table: string,
  column: string,
  options: TenantRlsSqlOptions = {},
): string[] {
  const t = qualified(table);
  const condition = `${escapeIdentifier(column)} = NULLIF(current_setting(${escapeLiteral(options.setting ?? 'kwik.tenant_id')}, true), '')::uuid`;
  return [
    `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`,
    `CREATE POLICY ${escapeIdentifier(options.policy ?? TENANT_POLICY)} ON ${t} AS PERMISSIVE FOR ALL TO ${escapeIdentifier(options.role ?? 'kwik_app')} USING (${condition}) WITH CHECK (${condition})`,
  ];
}

/** SQL (for a migration's `down`) that undoes {@link enableTenantRlsSql}. */
export function disableTenantRlsSql(
  table: string,
  options: Pick<TenantRlsSqlOptions, 'policy'> = {},
): string[] {
  const t = qualified(table);
  return [
    `DROP POLICY IF EXISTS ${escapeIdentifier(options.policy ?? TENANT_POLICY)} ON ${t}`,
    `ALTER TABLE ${t} DISABLE ROW LEVEL SECURITY`,
  ];
}

/**
 * Built-in functions that leak nothing about their arguments yet are not marked `LEAKPROOF`:
 * enum equality compares two type OIDs. Under row-level security PostgreSQL may drive an index
 * scan only with leakproof operators, so without this `filter[status]=published` on an enum
 * column cannot use the `(tenant, status, ...)` index and reads every row of the tenant.
 */
const SAFE_LEAKPROOF = ['enum_eq(anyenum, anyenum)', 'enum_ne(anyenum, anyenum)'] as const;

/**
 * SQL (for a migration's `up`) marking enum equality `LEAKPROOF` in this database, so filters on
 * enum columns keep their indexes under row-level security. Only a superuser may do it: run by
 * another role it skips with a NOTICE (the boot then warns which enum filters read every tenant
 * row), and managed services that refuse it leave enum columns better replaced by `varchar` with
 * a `CHECK`.
 *
 * @example
 * for (const sql of tenantLeakproofSql()) await queryRunner.query(sql);
 */
export function tenantLeakproofSql(): string[] {
  return [toggleLeakproof(true)];
}

/** SQL (for a migration's `down`) that undoes {@link tenantLeakproofSql}. */
export function revokeTenantLeakproofSql(): string[] {
  return [toggleLeakproof(false)];
}

function toggleLeakproof(on: boolean): string {
  const statements = SAFE_LEAKPROOF.map(
    (fn) => `EXECUTE 'ALTER FUNCTION pg_catalog.${fn} ${on ? '' : 'NOT '}LEAKPROOF';`,
  ).join('\n    ');
  return `DO $$ BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    ${statements}
  ELSE
    RAISE NOTICE 'kwik: not a superuser, enum equality stays non-leakproof (see docs/tenant.md)';
  END IF;
END $$`;
}
