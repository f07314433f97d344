import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertTenantIsolation, quoteSchemaName, tenantSchemaName, type IsolationTenant } from '@kwik/tenant';
import type { TestUser } from '@kwik/testing';
import { httpGet } from '../../../test/support/http-get.js';
import {
  DEMO_USERS,
  startDemo,
  STRATEGIES,
  type DemoStrategy,
  type DemoTenantSlug,
  type DemoUnderTest,
} from './support.js';

/** Where a tenant's posts are: the one shared table, or the tenant's own schema. */
const postsOf = (strategy: DemoStrategy, slug: string): string =>
  strategy === 'schema' ? `${quoteSchemaName(tenantSchemaName(slug))}.posts` : 'posts';

const EXTRA_TENANTS = 18; // + acme and globex = 20
const PER_TENANT = 1000;

const { admin, reader } = DEMO_USERS.acme;
const globexAdmin = DEMO_USERS.globex.admin;
/** The same account without a tenant: the kit sends no tenant header for it, so its token alone names the tenant. */
const tenantless = ({ email, password }: TestUser): TestUser => ({ email, password });

describe.each(STRATEGIES)('demo: tenancy (DEMO.md "Tenancy"), %s strategy', (strategy) => {
  let demo: DemoUnderTest;
  let sql: Client;
  const tenants: IsolationTenant[] = [];

  beforeAll(async () => {
    // Every JSON response is checked against the demo's OpenAPI document (of its api-version).
    demo = await startDemo(strategy, { client: { validateResponses: true } });
    sql = new Client({ connectionString: demo.databaseUrl });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await demo?.close();
  });

  it('answers an unknown tenant with 404, a foreign token with 403, a missing tenant with 400', async () => {
    // admin@acme.test's token (signed in to acme) sent with `X-Tenant-ID: nope`.
    const unknown = (await demo.client.as(admin).asTenant('nope').get('/api/posts')).expectProblem(404);
    expect(unknown.type).toMatch(/\/tenant-not-found$/);
    // admin@acme.test's token against globex, by header and by subdomain.
    const byHeader = (await demo.client.as(admin).asTenant('globex').get('/api/posts')).expectProblem(403);
    expect(byHeader.type).toMatch(/\/tenant-mismatch$/);
    // node:http, not the client: fetch cannot send a Host header (globex.localhost against 127.0.0.1).
    const bySubdomain = await httpGet(`${demo.baseUrl}/api/posts`, {
      host: 'globex.localhost',
      authorization: `Bearer ${await demo.client.token(admin)}`,
    });
    expect(bySubdomain.status).toBe(403);
    expect(bySubdomain.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await bySubdomain.json()) as { type: string }).type).toMatch(/\/tenant-mismatch$/);
    // No tenant header, no token: nothing names the tenant.
    const missing = (
      await demo.client.post('/api/auth/register', {
        email: 'new@example.test',
        password: 'a long enough passphrase 42',
        displayName: 'New',
      })
    ).expectProblem(400);
    expect(missing.type).toMatch(/\/tenant-required$/);
  });

  it('serves each tenant its own posts by header, subdomain or token', async () => {
    const path = '/api/posts?limit=100&fields=id,title';
    const pages: { data: { title: string }[] }[] = [];
    // By the token alone (no tenant header), and by the token with `X-Tenant-ID: globex`.
    pages.push((await demo.client.getAs(tenantless(globexAdmin), path)).expectStatus(200).body);
    pages.push((await demo.client.asTenant('globex').getAs(globexAdmin, path)).expectStatus(200).body);
    // By subdomain, through node:http: fetch cannot send a Host header.
    const bySubdomain = await httpGet(`${demo.baseUrl}${path}`, {
      authorization: `Bearer ${await demo.client.token(globexAdmin)}`,
      host: 'globex.localhost',
    });
    expect(bySubdomain.status).toBe(200);
    pages.push((await bySubdomain.json()) as { data: { title: string }[] });
    for (const { data } of pages) {
      expect(data.length).toBeGreaterThan(0);
      expect(data.every((p) => p.title.startsWith('globex'))).toBe(true);
    }
  });

  it('provisions tenants through the admin endpoints (201 + Location, 409 on a taken slug, 400 on bad settings)', async () => {
    const api = demo.client.as(tenantless(admin));
    for (let i = 1; i <= EXTRA_TENANTS; i++) {
      const slug = `tenant-${String(i).padStart(2, '0')}`;
      const res = (await api.post('/api/tenants', { slug, name: `Tenant ${i}`, plan: 'free' })).expectStatus(
        201,
      );
      expect(res.headers.get('location')).toBe(`/api/tenants/${slug}`);
    }
    (await api.post('/api/tenants', { slug: 'acme', name: 'Again' })).expectProblem(409);
    (await api.post('/api/tenants', { slug: 'Not A Slug', name: 'x' })).expectProblem(400);
    const list = (await api.get<{ data: { slug: string }[] }>('/api/tenants')).expectStatus(200).body;
    expect(list.data).toHaveLength(EXTRA_TENANTS + 2);
    (await demo.client.getAs(tenantless(reader), '/api/tenants')).expectProblem(403);
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
        const res = await demo.client
          .asTenant(t.slug)
          .post('/api/auth/register', { email, password, displayName: t.slug });
        registered.push(res.status);
        // No API changes a user's roles: the owner is made an admin in the database.
        await sql.query(`UPDATE users SET roles = '{admin}' WHERE email = $1`, [email]);
      }
      // Signed in by the kit (after the role change, so the token carries it).
      const token = await demo.client.token(
        seededTenants.has(t.slug)
          ? DEMO_USERS[t.slug as DemoTenantSlug].admin
          : { email, password, tenant: t.slug },
      );
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
