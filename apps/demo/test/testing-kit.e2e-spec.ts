import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { FakeTaskBackend, TaskBackend } from '@kwik/tasks';
import { PasswordHasher } from '@kwik/auth';
import { createTestApp, defineFactory, defineScenario, type TestApp, type TestUser } from '@kwik/testing';
import { AppModule } from '../src/app.module.js';
import { Post, Tenant, User } from '../src/entities/index.js';
import { DEMO_PASSWORD } from '../src/seed/seed-data.js';

/** The seeded accounts (DEMO.md "Seed data"). */
const admin: TestUser = { email: 'admin@acme.test', password: DEMO_PASSWORD, tenant: 'acme' };
const reader: TestUser = { email: 'reader@acme.test', password: DEMO_PASSWORD, tenant: 'acme' };
const editor: TestUser = { email: 'editor@acme.test', password: DEMO_PASSWORD, tenant: 'acme' };
const globexAdmin: TestUser = { email: 'admin@globex.test', password: DEMO_PASSWORD, tenant: 'globex' };

const Posts = defineFactory(
  Post,
  ({ sequence, faker }) => ({
    title: `Kit post ${sequence}`,
    content: faker.lorem.sentence(),
    status: 'draft' as const,
    tags: ['kit'],
  }),
  { states: { published: () => ({ status: 'published' as const, publishedAt: new Date() }) } },
);

const Users = defineFactory(User, ({ sequence, faker }) => ({
  email: `kit-user-${sequence}@acme.test`,
  displayName: faker.person.fullName(),
  roles: ['reader'],
}));

/** The demo's scenarios: users (with a password to sign in with) and posts in a tenant. */
const DemoScenario = defineScenario({
  inTenant:
    (slug: string) =>
    async ({ target }) => ({
      tenant: await (target as TestApp['app']).get(DataSource).manager.findOneByOrFail(Tenant, { slug }),
    }),
  withUser:
    (options: { role: string; password?: string }) =>
    async ({ target, app, built }) => {
      const password = options.password ?? 'kit passphrase long enough 1';
      const user = await Users.create(target, {
        tenantId: (built.tenant as Tenant).id,
        roles: [options.role],
        passwordHash: await app!.get<PasswordHasher>(PasswordHasher).hash(password),
      });
      const login: TestUser = { email: user.email, password, tenant: (built.tenant as Tenant).slug };
      return { user, login };
    },
  withPosts:
    (count: number) =>
    async ({ target, built }) => ({
      posts: await Posts.state('published').createMany(target, count, {
        tenantId: (built.tenant as Tenant).id,
        authorId: (built.user as User).id,
      }),
    }),
});

/** @kwik/testing against the demo: the app as production boots it, on a database of its own. */
describe('@kwik/testing on the demo', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(AppModule, {
      name: 'kit',
      env: { LOG_LEVEL: 'silent', KWIK_TENANT_STRATEGY: 'shared' },
      // Side effects faked: jobs are recorded, not run, until the test says so.
      overrides: [{ provide: TaskBackend, useClass: FakeTaskBackend }],
      // Every JSON response checked against the demo's OpenAPI document, and counted.
      client: { validateResponses: true },
    });
  });
  afterAll(() => t?.close());

  it('signs users in through the app’s own login and keeps their tokens', async () => {
    const acme = t.client.asTenant('acme');
    const list = await acme.getAs(admin, '/api/posts?limit=2');
    list.expectStatus(200);
    expect(list.body.data).toHaveLength(2);
    expect(await acme.token(admin)).toBe(await acme.token(admin)); // logged in once
    (await acme.postAs(reader, '/api/posts', { title: 'Nope', body: 'x' })).expectProblem(403);
    (await acme.get('/api/posts')).expectProblem(401);
  });

  it('sends a raw token with withToken(), and forgets one user’s token after a logout', async () => {
    const acme = t.client.asTenant('acme');
    const token = await acme.token(editor);
    (await acme.withToken(token).get('/api/posts?limit=1')).expectStatus(200);
    expect((await acme.withToken(token).post('/api/auth/logout')).status).toBe(204);
    // The cached token is revoked now: requests as the editor fail until it is forgotten.
    (await acme.getAs(editor, '/api/posts?limit=1')).expectProblem(401);
    const readerToken = await acme.token(reader);
    t.client.forgetTokens(editor);
    (await acme.getAs(editor, '/api/posts?limit=1')).expectStatus(200);
    expect(await acme.token(reader)).toBe(readerToken); // the others' stay cached
  });

  it('counts the responses it checked against the OpenAPI document', async () => {
    const before = t.client.validation!;
    (await t.client.asTenant('acme').getAs(admin, '/api/posts?limit=3')).expectStatus(200);
    expect(t.client.validation!.checked).toBe(before.checked + 1);
  });

  it('answers validation problems with the fields named', async () => {
    const problem = (
      await t.client.asTenant('acme').postAs(admin, '/api/posts', { body: 'no title' })
    ).expectProblem(400, 'title');
    expect(problem.errors!.map((e) => e.field)).toContain('title');
  });

  it('keeps a user’s token to its tenant: used in another tenant it is refused', async () => {
    const token = await t.client.token(admin);
    const res = await t.client
      .asTenant('globex')
      .withHeaders({ authorization: `Bearer ${token}` })
      .get('/api/posts?limit=1');
    res.expectProblem(403);
    (await t.client.getAs(globexAdmin, '/api/posts?limit=1')).expectStatus(200);
  });

  it('authenticates with an API key made through the API', async () => {
    const acme = t.client.asTenant('acme');
    const created = (
      await acme.postAs(admin, '/api/auth/api-keys', { name: 'kit', scopes: ['posts:read'] })
    ).expectStatus(201).body as { key: string };
    const keyed = acme.withApiKey(created.key);
    (await keyed.get('/api/posts?limit=1')).expectStatus(200);
    (await keyed.post('/api/posts', { title: 'x', body: 'y' })).expectProblem(403);
  });

  it('creates rows with factories that the API then serves', async () => {
    const dataSource = t.get<DataSource>(DataSource);
    const tenant = await dataSource.manager.findOneByOrFail(Tenant, { slug: 'acme' });
    const author = await dataSource.manager.findOneByOrFail(User, { email: 'author@acme.test' });
    const made = await Posts.state('published').createMany(t.app, 3, {
      tenantId: tenant.id,
      authorId: author.id,
    });
    expect(made.map((p) => p.status)).toEqual(['published', 'published', 'published']);
    const res = await t.client
      .asTenant('acme')
      .getAs(admin, '/api/posts?filter[tags][contains]=kit&filter[status]=published&limit=10');
    res.expectStatus(200);
    expect((res.body.data as { id: string }[]).map((p) => p.id).sort()).toEqual(made.map((p) => p.id).sort());
  });

  it('builds a typed scenario: a new admin with posts, who then signs in and sees them', async () => {
    const { user, login, posts } = await DemoScenario.create(t)
      .inTenant('acme')
      .withUser({ role: 'admin' })
      .withPosts(2)
      .build();
    expect(user.roles).toEqual(['admin']);
    expect(posts.map((p) => p.authorId)).toEqual([user.id, user.id]);
    const res = await t.client.getAs(login, `/api/posts?filter[authorId]=${user.id}&limit=10`);
    res.expectStatus(200);
    expect((res.body.data as { id: string }[]).map((p) => p.id).sort()).toEqual(
      posts.map((p) => p.id).sort(),
    );
  });

  it('records side effects with the fakes it was given, and runs them on demand', async () => {
    const tasks = FakeTaskBackend.of(t.app);
    tasks.clear();
    const res = await t.client.asTenant('acme').post('/api/auth/register', {
      email: 'kit@acme.test',
      password: 'a long enough passphrase 42',
      displayName: 'Kit',
    });
    res.expectStatus(201);
    const [job] = tasks.expectEnqueued('mail.welcome', 1);
    expect(job!.state).toBe('pending');
    await tasks.runNow('mail.welcome');
    expect(tasks.jobs('mail.welcome')[0]).toMatchObject({
      state: 'completed',
      result: { to: 'kit@acme.test' },
    });
  });
});
