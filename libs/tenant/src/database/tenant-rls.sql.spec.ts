import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/postgres.js';
import {
  TENANT_POLICY,
  disableTenantRlsSql,
  enableTenantRlsSql,
  revokeTenantLeakproofSql,
  revokeTenantRoleSql,
  tenantLeakproofSql,
  tenantRoleSql,
} from './tenant-rls.sql.js';

const CONDITION = `"tenantId" = NULLIF(current_setting('kwik.tenant_id', true), '')::uuid`;

describe('enableTenantRlsSql', () => {
  it('turns row-level security on and adds the isolation policy for the app role, reads and writes alike', () => {
    expect(enableTenantRlsSql('posts', 'tenantId')).toEqual([
      `ALTER TABLE "posts" ENABLE ROW LEVEL SECURITY`,
      `CREATE POLICY "${TENANT_POLICY}" ON "posts" AS PERMISSIVE FOR ALL TO "kwik_app" USING (${CONDITION}) WITH CHECK (${CONDITION})`,
    ]);
  });

  it.each<[string, string, string]>([
    ['a quote in the table name', 'we"ird', '"we""ird"'],
    ['upper case', 'BlogPosts', '"BlogPosts"'],
    ['a space', 'blog posts', '"blog posts"'],
    ['a schema-qualified table', 'app.posts', '"app"."posts"'],
    ['a schema-qualified table with quotes', 'my"app.we"ird', '"my""app"."we""ird"'],
  ])('quotes the table: %s', (_case, table, quoted) => {
    const [enable, policy] = enableTenantRlsSql(table, 'tenantId');
    expect(enable).toBe(`ALTER TABLE ${quoted} ENABLE ROW LEVEL SECURITY`);
    expect(policy).toContain(` ON ${quoted} AS PERMISSIVE`);
  });

  it('quotes the tenant column', () => {
    const [, policy] = enableTenantRlsSql('posts', 'org"Id');
    expect(policy).toContain(`USING ("org""Id" = NULLIF(`);
    expect(policy).toContain(`WITH CHECK ("org""Id" = NULLIF(`);
  });

  it('uses a custom role, setting and policy name, each quoted', () => {
    const [, policy] = enableTenantRlsSql('posts', 'tenantId', {
      role: 'app "user',
      setting: "app.org'id",
      policy: 'org isolation',
    });
    expect(policy).toBe(
      `CREATE POLICY "org isolation" ON "posts" AS PERMISSIVE FOR ALL TO "app ""user" ` +
        `USING ("tenantId" = NULLIF(current_setting('app.org''id', true), '')::uuid) ` +
        `WITH CHECK ("tenantId" = NULLIF(current_setting('app.org''id', true), '')::uuid)`,
    );
  });
});

describe('disableTenantRlsSql', () => {
  it.each<[string, string, string | undefined, string, string]>([
    ['the default policy', 'posts', undefined, '"posts"', `"${TENANT_POLICY}"`],
    [
      'a custom policy of a quoted, qualified table',
      'app.we"ird',
      'org isolation',
      '"app"."we""ird"',
      '"org isolation"',
    ],
  ])('drops %s and turns row-level security off', (_case, table, name, quotedTable, quotedPolicy) => {
    expect(disableTenantRlsSql(table, name ? { policy: name } : {})).toEqual([
      `DROP POLICY IF EXISTS ${quotedPolicy} ON ${quotedTable}`,
      `ALTER TABLE ${quotedTable} DISABLE ROW LEVEL SECURITY`,
    ]);
  });
});

describe('tenantRoleSql / revokeTenantRoleSql', () => {
  it('creates the default role kwik_app and grants it the public schema', () => {
    const sql = tenantRoleSql().join('\n');
    expect(sql).toContain(`WHERE rolname = 'kwik_app'`);
    expect(sql).toContain(`CREATE ROLE "kwik_app" NOLOGIN`);
    expect(sql).toContain(`GRANT USAGE ON SCHEMA "public" TO "kwik_app"`);
    expect(sql).toContain(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA "public" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "kwik_app"`,
    );
  });

  it('quotes a custom role as an identifier and as a literal, and a custom schema', () => {
    const sql = tenantRoleSql({ role: `o'brien "app"`, schema: 'my schema' }).join('\n');
    expect(sql).toContain(`WHERE rolname = 'o''brien "app"'`);
    expect(sql).toContain(`CREATE ROLE "o'brien ""app""" NOLOGIN`);
    // Inside the EXECUTE string literal the identifier's own quote is doubled once more.
    expect(sql).toContain(`EXECUTE 'GRANT "o''brien ""app""" TO ' || quote_ident(current_user)`);
    expect(sql).toContain(`GRANT USAGE ON SCHEMA "my schema" TO "o'brien ""app"""`);
    expect(sql).not.toContain('kwik_app');
    expect(sql).not.toContain('"public"');
  });

  it('takes back exactly the grants of a custom role in a custom schema', () => {
    const sql = revokeTenantRoleSql({ role: 'app_user', schema: 'tenant data' });
    expect(sql).toHaveLength(5);
    for (const statement of sql) {
      expect(statement).toContain('"tenant data"');
      expect(statement).toContain('"app_user"');
    }
    expect(sql.join('\n')).not.toMatch(/DROP ROLE/);
  });
});

describe('tenantLeakproofSql / revokeTenantLeakproofSql', () => {
  it('marks enum equality leakproof only when run by a superuser, and undoes it', () => {
    const [on] = tenantLeakproofSql();
    const [off] = revokeTenantLeakproofSql();
    expect(on).toContain(`ALTER FUNCTION pg_catalog.enum_eq(anyenum, anyenum) LEAKPROOF`);
    expect(on).toContain(`ALTER FUNCTION pg_catalog.enum_ne(anyenum, anyenum) LEAKPROOF`);
    expect(on).toContain('rolsuper');
    expect(on).toContain('RAISE NOTICE');
    expect(off).toContain(`enum_eq(anyenum, anyenum) NOT LEAKPROOF`);
    expect(off).toContain(`enum_ne(anyenum, anyenum) NOT LEAKPROOF`);
  });
});

describe('the helpers on PostgreSQL', () => {
  let db: TestDatabase;
  let sql: Client;
  const tenantA = randomUUID();
  const tenantB = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase('tenant_rls_sql');
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await db?.drop();
  });

  /** Runs `fn` in a transaction that is rolled back, so the cluster-wide role never outlives the test. */
  async function rolledBack(fn: () => Promise<void>): Promise<void> {
    await sql.query('BEGIN');
    try {
      await fn();
    } finally {
      await sql.query('ROLLBACK');
    }
  }

  it('isolates a quoted, schema-qualified table under a custom role, setting and policy', async () => {
    const role = `kwik "spec' ${randomBytes(4).toString('hex')}`;
    const options = { role, setting: 'app.org_id', policy: 'org isolation' };
    await rolledBack(async () => {
      await sql.query(`CREATE SCHEMA "my app"`);
      await sql.query(
        `CREATE TABLE "my app"."we""ird" (id serial PRIMARY KEY, "org""Id" uuid NOT NULL, title text)`,
      );
      await sql.query(`INSERT INTO "my app"."we""ird" ("org""Id", title) VALUES ($1, 'a'), ($2, 'b')`, [
        tenantA,
        tenantB,
      ]);
      for (const statement of tenantRoleSql({ role, schema: 'my app' })) await sql.query(statement);
      for (const statement of enableTenantRlsSql('my app.we"ird', 'org"Id', options))
        await sql.query(statement);

      const { rows: policies } = await sql.query(
        `SELECT p.polname, c.relrowsecurity FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relname = 'we"ird'`,
      );
      expect(policies).toEqual([{ polname: 'org isolation', relrowsecurity: true }]);

      await sql.query('SAVEPOINT scoped');
      await sql.query(`SELECT set_config('role', $1, true), set_config('app.org_id', $2, true)`, [
        role,
        tenantA,
      ]);
      const { rows: seen } = await sql.query(`SELECT title FROM "my app"."we""ird"`);
      expect(seen).toEqual([{ title: 'a' }]);
      await expect(
        sql.query(`INSERT INTO "my app"."we""ird" ("org""Id", title) VALUES ($1, 'smuggled')`, [tenantB]),
      ).rejects.toThrow(/row-level security/);
      await sql.query('ROLLBACK TO SAVEPOINT scoped');

      for (const statement of disableTenantRlsSql('my app.we"ird', { policy: 'org isolation' }))
        await sql.query(statement);
      const { rows: after } = await sql.query(
        `SELECT relrowsecurity, (SELECT count(*)::int FROM pg_policy WHERE polrelid = c.oid) AS policies FROM pg_class c WHERE relname = 'we"ird'`,
      );
      expect(after).toEqual([{ relrowsecurity: false, policies: 0 }]);
      for (const statement of revokeTenantRoleSql({ role, schema: 'my app' })) await sql.query(statement);
    });
  });

  it('fails closed: the app role sees no row without the tenant setting', async () => {
    const role = `kwik_spec_${randomBytes(4).toString('hex')}`;
    await rolledBack(async () => {
      await sql.query(`CREATE TABLE notes (id serial PRIMARY KEY, "tenantId" uuid NOT NULL)`);
      await sql.query(`INSERT INTO notes ("tenantId") VALUES ($1), ($2)`, [tenantA, tenantB]);
      for (const statement of tenantRoleSql({ role })) await sql.query(statement);
      for (const statement of enableTenantRlsSql('notes', 'tenantId', { role })) await sql.query(statement);
      await sql.query(`SELECT set_config('role', $1, true)`, [role]);
      const { rows } = await sql.query(`SELECT count(*)::int AS n FROM notes`);
      expect(rows).toEqual([{ n: 0 }]);
    });
  });

  it('runs the role statements twice without failing (a second migration, another database)', async () => {
    const role = `kwik_spec_${randomBytes(4).toString('hex')}`;
    await rolledBack(async () => {
      for (const statement of [...tenantRoleSql({ role }), ...tenantRoleSql({ role })])
        await sql.query(statement);
      const { rows } = await sql.query(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname = $1`, [role]);
      expect(rows).toEqual([{ n: 1 }]);
    });
  });

  it('applies the leakproof helper as the superuser the tests connect as, and reverts it', async () => {
    await rolledBack(async () => {
      for (const statement of tenantLeakproofSql()) await sql.query(statement);
      const leakproof = `SELECT proleakproof AS on FROM pg_proc WHERE oid = 'pg_catalog.enum_eq(anyenum, anyenum)'::regprocedure`;
      expect((await sql.query(leakproof)).rows).toEqual([{ on: true }]);
      for (const statement of revokeTenantLeakproofSql()) await sql.query(statement);
      expect((await sql.query(leakproof)).rows).toEqual([{ on: false }]);
    });
  });
});
