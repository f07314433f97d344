import type { DataSource } from 'typeorm';
import { TenantError, TenantErrorCode } from '../tenant.errors.js';
import { TENANT_POLICY } from './tenant-rls.sql.js';
import type { ScopedEntity } from './scoped-entities.js';

interface TableState {
  table: string;
  rls: boolean;
  policy: boolean;
}

/**
 * Refuses to boot (`KWIK_TENANT_RLS_MISSING`) when a `@TenantScoped()` table lacks row-level security
 * or its policy, when the app role does not exist, or when the connecting user may not switch to
 * it — each missing piece named, with the migration helper that adds it.
 */
export async function verifyTenantRls(
  dataSource: DataSource,
  entities: readonly ScopedEntity[],
  role: string,
): Promise<void> {
  const problems: string[] = [];
  const [roleState] = (await dataSource.query(
    `SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1) AS "exists",
            CASE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = $1) THEN pg_has_role(current_user, $1, 'MEMBER') ELSE false END AS "member"`,
    [role],
  )) as { exists: boolean; member: boolean }[];
  if (!roleState?.exists)
    problems.push(`the role "${role}" does not exist: run tenantRoleSql() in a migration`);
  else if (!roleState.member)
    problems.push(
      `the database user may not act as "${role}": run tenantRoleSql() in a migration (it grants the membership) or GRANT "${role}" TO <user>`,
    );
  if (entities.length > 0) {
    const rows = (await dataSource.query(
      `SELECT c.relname AS "table", c.relrowsecurity AS "rls",
              EXISTS (SELECT FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = $3) AS "policy"
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relname = ANY($1) AND n.nspname = ANY($2)`,
      [entities.map((e) => e.table), [...new Set(entities.map((e) => e.schema ?? 'public'))], TENANT_POLICY],
    )) as TableState[];
    const byTable = new Map(rows.map((r) => [r.table, r]));
    for (const entity of entities) {
      const state = byTable.get(entity.table);
      const fix = `add a migration running enableTenantRlsSql('${entity.table}', '${entity.column}')`;
      if (!state)
        problems.push(`table "${entity.table}" (${entity.metadata.name}) does not exist: run the migrations`);
      else if (!state.rls || !state.policy)
        problems.push(
          `table "${entity.table}" (${entity.metadata.name}) has no row-level security policy ${TENANT_POLICY}: ${fix}`,
        );
    }
  }
  if (problems.length > 0)
    throw new TenantError(
      TenantErrorCode.RlsMissing,
      `The shared tenancy strategy needs PostgreSQL row-level security (turn the check off with rls.verify: false only if you enforce isolation otherwise):\n- ${problems.join('\n- ')}`,
    );
}
