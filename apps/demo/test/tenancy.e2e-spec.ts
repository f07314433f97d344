import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertTenantIsolation, quoteSchemaName, tenantSchemaName, type IsolationTenant } from '@kwik/tenant';
import { httpGet } from '../../../test/support/http-get.js';
import { login, startDemo, STRATEGIES, type DemoStrategy, type DemoUnderTest } from './support.js';

/** Where a tenant's posts are: the one shared table, or the tenant's own schema. */
const postsOf = (strategy: DemoStrategy, slug: string): string =>
  strategy === 'schema' ? `${quoteSchemaName(tenantSchemaName(slug))}.posts` : 'posts';

const EXTRA_TENANTS = 18; // + acme and globex = 20
const PER_TENANT = 1000;

describe.each(STRATEGIES)('demo: tenancy (DEMO.md "Tenancy"), %s strategy', (strategy) => {
  let demo: DemoUnderTest;
  let sql: Client;
  const tenants: IsolationTenant[] = [];

  beforeAll(async () => {
    demo = await startDemo(strategy);
    sql = new Client({ connectionString: demo.databaseUrl });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await demo?.close();
  });

  it('answers an unknown tenant with 404, a foreign token with 403, a missing tenant with 400', async () => {
    const unknown = await demo.fetch(`${demo.baseUrl}/api/posts`, { headers: { 'x-tenant-id': 'nope' } });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { type: string }).type).toMatch(/\/tenant-not-found$/);
    // admin@acme.test's token against globex, by header and by subdomain.
    const acmeToken = await login(demo.baseUrl, 'admin@acme.test');
    for (const headers of [{ 'x-tenant-id': 'globex' }, { host: 'globex.localhost' }] as Record<
      string,
      string
    >[]) {
      const foreign = await httpGet(`${demo.baseUrl}/api/posts`, {
        ...headers,
        authorization: `Bearer ${acmeToken}`,
      });
      expect(foreign.status).toBe(403);
      expect(((await foreign.json()) as { type: string }).type).toMatch(/\/tenant-mismatch$/);
    }
    const missing = await fetch(`${demo.baseUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'new@example.test',
        password: 'a long enough passphrase 42',
        displayName: 'New',
      }),
    });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { type: string }).type).toMatch(/\/tenant-required$/);
  });

  it('serves each tenant its own posts by header, subdomain or token', async () => {
    const globexToken = await login(demo.baseUrl, 'admin@globex.test');
    for (const headers of [
      { authorization: `Bearer ${globexToken}` },
      { authorization: `Bearer ${globexToken}`, 'x-tenant-id': 'globex' },
      { authorization: `Bearer ${globexToken}`, host: 'globex.localhost' },
    ] as Record<string, string>[]) {
      const res = await httpGet(`${demo.baseUrl}/api/posts?limit=100&fields=id,title`, headers);
      expect(res.status).toBe(200);
      const { data } = (await res.json()) as { data: { title: string }[] };
      expect(data.length).toBeGreaterThan(0);
      expect(data.every((p) => p.title.startsWith('globex'))).toBe(true);
    }
  });

  it('provisions tenants through the admin endpoints (201 + Location, 409 on a taken slug, 400 on bad settings)', async () => {
    for (let i = 1; i <= EXTRA_TENANTS; i++) {
      const slug = `tenant-${String(i).padStart(2, '0')}`;
      const res = await demo.fetch(`${demo.baseUrl}/api/tenants`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ slug, name: `Tenant ${i}`, plan: 'free' }),
      });
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toBe(`/api/tenants/${slug}`);
    }
    const taken = await demo.fetch(`${demo.baseUrl}/api/tenants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'acme', name: 'Again' }),
    });
    expect(taken.status).toBe(409);
    const badSlug = await demo.fetch(`${demo.baseUrl}/api/tenants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'Not A Slug', name: 'x' }),
    });
    expect(badSlug.status).toBe(400);
    const list = (await (await demo.fetch(`${demo.baseUrl}/api/tenants`)).json()) as {
      data: { slug: string }[];
    };
    expect(list.data).toHaveLength(EXTRA_TENANTS + 2);
    const reader = await login(demo.baseUrl, 'reader@acme.test');
    const forbidden = await fetch(`${demo.baseUrl}/api/tenants`, {
      headers: { authorization: `Bearer ${reader}` },
    });
    expect(forbidden.status).toBe(403);
  });

  it('keeps 20 tenants apart under 20,000 concurrent mixed requests (zero foreign rows)', async () => {
    const { rows } = await sql.query<{ id: string; slug: string }>(
      'SELECT id, slug FROM tenants ORDER BY slug',
    );
    const password = 'a long enough passphrase 42';
    const seededTenants = new Set(['acme', 'globex']);
    const registered: number[] = [];
    for (const t of rows) {
      const email = seededTenants.has(t.slug) ? `admin@${t.slug}.test` : `owner@${t.slug}.test`;
      if (!seededTenants.has(t.slug)) {
        const res = await fetch(`${demo.baseUrl}/api/auth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-tenant-id': t.slug },
          body: JSON.stringify({ email, password, displayName: t.slug }),
        });
        registered.push(res.status);
        await sql.query(`UPDATE users SET roles = '{admin}' WHERE email = $1`, [email]);
      }
      const token = await login(demo.baseUrl, email, seededTenants.has(t.slug) ? undefined : password);
      tenants.push({
        slug: t.slug,
        id: t.id,
        headers: { authorization: `Bearer ${token}`, 'x-tenant-id': t.slug },
      });
    }
    expect(registered).toEqual(Array.from({ length: EXTRA_TENANTS }, () => 201));
    const knownIds: Record<string, string[]> = {};
    for (const t of rows) {
      const seeded = await sql.query<{ id: string }>(
        `SELECT id FROM ${postsOf(strategy, t.slug)} WHERE "tenantId" = $1`,
        [t.id],
      );
      knownIds[t.slug] = seeded.rows.map((r) => r.id);
    }

    const report = await assertTenantIsolation({
      baseUrl: demo.baseUrl,
      tenants,
      perTenant: PER_TENANT,
      concurrency: 32,
      knownIds,
      requests: [
        { path: '/api/posts?limit=50&fields=id,title', weight: 3 },
        { path: '/api/posts?sort=-createdAt&limit=20', weight: 2 },
        {
          method: 'POST',
          path: '/api/posts',
          body: (t, n) => ({ title: `${t.slug} isolation ${n}`, body: 'Written during the isolation run.' }),
          expect: [201],
          weight: 1,
        },
        { path: (t) => `/api/posts?q=${encodeURIComponent(t.slug)}&limit=10`, weight: 1 },
      ],
    });
    expect(report.requests).toBe(20 * PER_TENANT);
    expect(report.foreignRows).toEqual([]);
    expect(report.rowsChecked).toBeGreaterThan(20 * PER_TENANT);
    // Every post written in the run landed in its writer's tenant: no row whose title names one
    // tenant while it belongs to another (in the shared table, or in each tenant's schema).
    for (const t of rows) {
      const strays = await sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${postsOf(strategy, t.slug)} WHERE title LIKE '% isolation %' AND (title LIKE $2) <> ("tenantId" = $1)`,
        [t.id, `${t.slug} isolation %`],
      );
      expect(strays.rows[0]!.n).toBe(0);
    }
  }, 180_000);
});
