import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { TenantContext } from '@kwik/tenant';
import {
  createTestApp,
  defineFactory,
  defineScenario,
  type TestApp,
  type TestClient,
  type TestClientOptions,
  type TestUser,
} from '@kwik/testing';
import { AppModule } from '../src/app.module.js';
import { Post, Tenant, User, type UserRole } from '../src/entities/index.js';
import { DEMO_PASSWORD, DEMO_ROLES, DEMO_TENANTS } from '../src/seed/seed-data.js';

/** A seeded tenant's slug (DEMO.md "Seed data"). */
export type DemoTenantSlug = (typeof DEMO_TENANTS)[number]['slug'];

/** A seeded account as the kit signs it in: `<role>@<tenant>.test`, password {@link DEMO_PASSWORD}. */
export function seededUser(role: UserRole, tenant: DemoTenantSlug): TestUser {
  return { email: `${role}@${tenant}.test`, password: DEMO_PASSWORD, tenant };
}

/**
 * The seeded users (DEMO.md "Seed data"), by tenant and role: `DEMO_USERS.acme.admin` is
 * admin@acme.test in tenant `acme`. The kit's client logs each in once (with the tenant header) and
 * sends its tenant header on every request it makes as them.
 */
export const DEMO_USERS: Readonly<Record<DemoTenantSlug, Readonly<Record<UserRole, TestUser>>>> =
  Object.fromEntries(
    DEMO_TENANTS.map(({ slug }) => [
      slug,
      Object.fromEntries(DEMO_ROLES.map((role) => [role, seededUser(role, slug)])),
    ]),
  ) as Record<DemoTenantSlug, Record<UserRole, TestUser>>;

/** A demo app listening on a random port over a fresh PostgreSQL database. */
export interface DemoUnderTest {
  app: NestFastifyApplication;
  baseUrl: string;
  /** The demo's (throw-away) database. */
  databaseUrl: string;
  /** The testing kit's handle on the app (`testApp.get(Provider)`, factories' and scenarios' target). */
  testApp: TestApp;
  /**
   * The kit's client, signed in as nobody and in no tenant:
   * `demo.client.asTenant('acme').getAs(DEMO_USERS.acme.admin, '/api/posts')`.
   */
  client: TestClient;
  /** `fetch` signed in as admin@acme.test (the Authorization header is added unless given). */
  fetch(input: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** How tenants are kept apart (`KWIK_TENANT_STRATEGY`): the demo's suites run under both. */
export type DemoStrategy = 'shared' | 'schema';

/** Both tenancy strategies, for `describe.each(STRATEGIES)`. */
export const STRATEGIES: readonly DemoStrategy[] = ['shared', 'schema'];

/** Extras of {@link startDemo}. */
export interface StartDemoOptions {
  /** More environment for the app (e.g. `REDIS_URL`). */
  env?: Record<string, string>;
  /** Boot on this existing database (a second instance of the same deployment); it is not dropped. */
  databaseUrl?: string;
  /** Options of the kit's client (`{ validateResponses: true }` checks responses against the OpenAPI document). */
  client?: TestClientOptions;
}

/**
 * Boots the demo in-process on a new database (migrated and seeded at boot) and listens on
 * 127.0.0.1, with tenants kept apart by `strategy`.
 */
export async function startDemo(
  strategy: DemoStrategy = 'shared',
  options: StartDemoOptions = {},
): Promise<DemoUnderTest> {
  // The testing kit boots the demo as production does, on a database of its own (or the given one).
  const t = await createTestApp(AppModule, {
    name: 'demo',
    database: options.databaseUrl ? { url: options.databaseUrl } : 'fresh',
    env: {
      LOG_LEVEL: process.env.DEMO_TEST_LOG_LEVEL ?? 'silent',
      KWIK_TENANT_STRATEGY: strategy,
      ...options.env,
    },
    client: options.client,
  });
  try {
    const token = await t.client.token(DEMO_USERS.acme.admin);
    return {
      app: t.app,
      baseUrl: t.baseUrl,
      databaseUrl: t.databaseUrl!,
      testApp: t,
      client: t.client,
      fetch: (input, init = {}) => {
        const headers = new Headers(init.headers);
        if (!headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
        return fetch(input, { ...init, headers });
      },
      close: () => t.close(),
    };
  } catch (error) {
    await t.close();
    throw error;
  }
}

/** Signs a seeded demo user in and returns the access token. */
export async function login(baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** Demo posts (`content` is the entity's name of v1's `body`); give `tenantId` and `authorId`. */
export const Posts = defineFactory(
  Post,
  ({ sequence, faker }) => ({
    title: `Factory post ${sequence}`,
    content: faker.lorem.sentence(),
    status: 'draft' as const,
    tags: [] as string[],
  }),
  { states: { published: () => ({ status: 'published' as const, publishedAt: new Date() }) } },
);

/**
 * The demo suites' setup steps: rows saved inside the tenant's own database scope (its row-level
 * security setting, or its schema first on the search path), so they land where the app keeps
 * them under either strategy.
 *
 * @example
 * const { posts } = await DemoScenario.create(demo.testApp).inTenant('globex').byUser('admin@globex.test').withPosts(1).build();
 */
export const DemoScenario = defineScenario({
  /** The tenant (a seeded one, or one provisioned by the test). */
  inTenant:
    (slug: string) =>
    async ({ target }) => ({
      tenant: await (target as TestApp['app']).get(DataSource).manager.findOneByOrFail(Tenant, { slug }),
    }),
  /** An existing user of the tenant, the author of what follows. */
  byUser:
    (email: string) =>
    async ({ target, built }) => ({
      author: await (target as TestApp['app'])
        .get(DataSource)
        .manager.findOneByOrFail(User, { tenantId: (built.tenant as Tenant).id, email }),
    }),
  /** `count` posts of the tenant by the author, with these attributes. */
  withPosts:
    (count: number, attributes: Partial<Pick<Post, 'title' | 'content' | 'status' | 'tags'>> = {}) =>
    async ({ target, built }) => {
      const tenant = built.tenant as Tenant;
      const app = target as TestApp['app'];
      const posts = await app
        .get(TenantContext, { strict: false })
        .run({ id: tenant.id, slug: tenant.slug }, () =>
          Posts.createMany(app, count, {
            ...attributes,
            tenantId: tenant.id,
            authorId: (built.author as User).id,
          }),
        );
      return { posts };
    },
});
