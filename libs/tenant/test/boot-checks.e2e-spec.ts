import { randomBytes } from 'node:crypto';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { TenantError, TenantErrorCode } from '@kwik/tenant';
import { bootFixtureApp, type BootedApp } from '../../../test/support/boot-app.js';
import { createTestDatabase } from '../../../test/support/postgres.js';
import {
  BOOT_TABLES,
  Item,
  NoTenantItem,
  OrgItem,
  Tag,
  TextTenantItem,
  bootTestModule,
  rls,
  type BootAppSetup,
} from './fixtures/tenant-boot-app.js';

/** Boots `setup` on a fresh database and returns what the boot threw (the app and database are cleaned up). */
async function bootFailure(setup: BootAppSetup): Promise<TenantError> {
  const db = await createTestDatabase('tenant_boot');
  const saved = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = 'silent';
  try {
    const moduleRef = await Test.createTestingModule({ imports: [bootTestModule(db.url, setup)] }).compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
      logger: false,
    });
    let failure: unknown;
    try {
      await app.init();
    } catch (error) {
      failure = error;
    } finally {
      await app.close();
    }
    expect(failure, 'the app booted').toBeInstanceOf(TenantError);
    return failure as TenantError;
  } finally {
    if (saved === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = saved;
    await db.drop();
  }
}

describe('TenantModule boot checks', () => {
  const booted: BootedApp[] = [];
  afterAll(async () => {
    for (const app of booted) await app.close();
  });

  /** Boots `setup` over HTTP with tenants acme and globex. */
  async function boot(setup: BootAppSetup): Promise<BootedApp & { tenants: Record<string, string> }> {
    const app = await bootFixtureApp('tenant_boot', (url) => bootTestModule(url, setup));
    booted.push(app);
    const tenants: Record<string, string> = {};
    for (const slug of ['acme', 'globex']) {
      const { rows } = await app.sql.query<{ id: string }>(
        `INSERT INTO b_tenants (slug, name, version) VALUES ($1, $1, 1) RETURNING id`,
        [slug],
      );
      tenants[slug] = rows[0]!.id;
    }
    return { ...app, tenants };
  }

  describe('KWIK_TENANT_RLS_MISSING', () => {
    it.each<[string, string[]]>([
      ['without row-level security', [BOOT_TABLES.b_items]],
      [
        'with row-level security on but no policy',
        [BOOT_TABLES.b_items, `ALTER TABLE "b_items" ENABLE ROW LEVEL SECURITY`],
      ],
      [
        'with its policy but row-level security turned off',
        [BOOT_TABLES.b_items, ...rls('b_items'), `ALTER TABLE "b_items" DISABLE ROW LEVEL SECURITY`],
      ],
    ])(
      'refuses to boot while a @TenantScoped() table is %s, naming the table and the fix',
      async (_case, sql) => {
        const error = await bootFailure({ entities: [Item], sql });
        expect(error.code).toBe(TenantErrorCode.RlsMissing);
        expect(error.message).toContain(
          `table "b_items" (Item) has no row-level security policy kwik_tenant_isolation: add a migration running enableTenantRlsSql('b_items', 'tenantId')`,
        );
        expect(error.message).toContain('rls.verify: false');
      },
    );

    it('names every table that lacks its policy in one error, and none that has it', async () => {
      const error = await bootFailure({
        entities: [Item, Tag, OrgItem],
        sql: [
          BOOT_TABLES.b_items,
          BOOT_TABLES.b_tags,
          BOOT_TABLES.b_org_items,
          ...rls('b_org_items', 'orgId'),
        ],
      });
      expect(error.code).toBe(TenantErrorCode.RlsMissing);
      expect(error.message).toContain(`table "b_items" (Item)`);
      expect(error.message).toContain(`enableTenantRlsSql('b_tags', 'tenantId')`);
      expect(error.message).not.toContain('b_org_items');
    });

    it('refuses to boot when a @TenantScoped() table does not exist', async () => {
      const error = await bootFailure({ entities: [Item], sql: [] });
      expect(error.code).toBe(TenantErrorCode.RlsMissing);
      expect(error.message).toContain(`table "b_items" (Item) does not exist: run the migrations`);
    });

    it('refuses to boot when the app role does not exist', async () => {
      const role = `kwik_missing_${randomBytes(4).toString('hex')}`;
      const error = await bootFailure({
        entities: [Item],
        sql: [BOOT_TABLES.b_items, ...rls('b_items')],
        tenancy: { rls: { role } },
      });
      expect(error.code).toBe(TenantErrorCode.RlsMissing);
      expect(error.message).toContain(
        `the role "${role}" does not exist: run tenantRoleSql() in a migration`,
      );
    });

    it('boots with rls.verify: false on the same schema', async () => {
      const app = await boot({
        entities: [Item],
        sql: [BOOT_TABLES.b_items],
        tenancy: { rls: { verify: false } },
      });
      const res = await fetch(`${app.baseUrl}/items`, { headers: { 'x-tenant-id': 'acme' } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([]);
    });

    it('boots when every scoped table has its policy, whatever its tenant property is called', async () => {
      const app = await boot({
        entities: [Item, OrgItem],
        sql: [
          BOOT_TABLES.b_items,
          ...rls('b_items'),
          BOOT_TABLES.b_org_items,
          ...rls('b_org_items', 'orgId'),
        ],
      });
      const created = await fetch(`${app.baseUrl}/org-items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tenant-id': 'acme' },
        body: JSON.stringify({ title: 'stamped into orgId' }),
      });
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({ orgId: app.tenants.acme });
      const other = await fetch(`${app.baseUrl}/org-items`, { headers: { 'x-tenant-id': 'globex' } });
      expect(await other.json()).toEqual([]);
    });
  });

  describe('KWIK_TENANT_INVALID_ENTITY', () => {
    it.each<[string, BootAppSetup, string]>([
      [
        'a tenant column that is not a uuid',
        { entities: [TextTenantItem], sql: [BOOT_TABLES.b_text_tenant] },
        'TextTenantItem.tenantId must be a uuid column (it is varchar)',
      ],
    ])('refuses to boot with a @TenantScoped() entity with %s', async (_case, setup, problem) => {
      const error = await bootFailure(setup);
      expect(error.code).toBe(TenantErrorCode.InvalidEntity);
      expect(error.message).toContain(problem);
    });

    it('checks every entity, also with rls.verify: false; one without a declared column gets one', async () => {
      const error = await bootFailure({
        entities: [TextTenantItem, NoTenantItem, Item],
        sql: [BOOT_TABLES.b_text_tenant, BOOT_TABLES.b_no_tenant, BOOT_TABLES.b_items, ...rls('b_items')],
        tenancy: { rls: { verify: false } },
      });
      expect(error.code).toBe(TenantErrorCode.InvalidEntity);
      expect(error.message).toContain('TextTenantItem.tenantId');
      expect(error.message).not.toContain('NoTenantItem');
      expect(error.message).not.toMatch(/^- Item\b/m);
    });
  });
});
