import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthTestUser, type AuthTestUser } from '@kwik/auth';
import { TenantContext, TenantRegistry } from '@kwik/tenant';
import { createTestApp, type TestApp, type TestClient } from '@kwik/testing';
import { AppModule } from '../src/app.module.js';
import { ProductFactory } from './factories/product.factory.js';

// The whole app on a throw-away database (migrated as in production); real sign-in, no guard overridden;
// responses checked against the OpenAPI document.
let t: TestApp;
let api: TestClient;
let tenant: { id: string; slug: string };
let manager: AuthTestUser;
let outsider: AuthTestUser;

beforeAll(async () => {
  t = await createTestApp(AppModule, {
    name: 'products',
    env: { LOG_LEVEL: 'silent' },
    // Every JSON response is checked against the app's OpenAPI document.
    client: { validateResponses: true },
  });
  // A tenant of this file's own, so the test needs no seed data.
  tenant = await t
    .get<TenantRegistry>(TenantRegistry)
    .provision({ slug: `products-${Date.now().toString(36)}`, name: 'Products e2e' });
  api = t.client.asTenant(tenant.slug);
  manager = await createAuthTestUser(t, {
    permissions: ['product:*'],
    tenantId: tenant.id,
    tenant: tenant.slug,
  });
  outsider = await createAuthTestUser(t, { tenantId: tenant.id, tenant: tenant.slug });
});
afterAll(() => t?.close());

describe('/api/products', () => {
  it('creates: 201, a Location, the stored fields', async () => {
    const input = { name: 'name 1', price: 10.5, stock: 10, sku: 'sku 1' };
    const res = (await api.postAs(manager, '/api/products', input)).expectStatus(201);
    expect(res.headers.get('location')).toBe(`/api/products/${res.body.id}`);
    expect(res.body).toMatchObject(input);
  });

  it('reads one with an ETag; If-None-Match answers 304', async () => {
    const created = (
      await api.postAs(manager, '/api/products', { name: 'name 2', price: 20.5, stock: 20, sku: 'sku 2' })
    ).expectStatus(201);
    const res = (await api.getAs(manager, `/api/products/${created.body.id}`)).expectStatus(200);
    expect(res.body.id).toBe(created.body.id);
    const etag = res.headers.get('etag')!;
    expect(etag).toBeTruthy();
    const again = await api.getAs(manager, `/api/products/${created.body.id}`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
  });

  it('lists in cursor pages of the requested size, sorted and filtered', async () => {
    const rows = await t
      .get<TenantContext>(TenantContext)
      .run(tenant.slug, () => ProductFactory.createMany(t, 3, { tenantId: tenant.id }));
    const page = (await api.getAs(manager, '/api/products?limit=2&sort=-createdAt')).expectStatus(200);
    expect(page.body.data).toHaveLength(2);
    expect(page.body.meta.nextCursor).toEqual(expect.any(String));
    const next = (
      await api.getAs(
        manager,
        `/api/products?limit=2&sort=-createdAt&after=${encodeURIComponent(page.body.meta.nextCursor)}`,
      )
    ).expectStatus(200);
    expect(next.body.data.length).toBeGreaterThan(0);
    expect(next.body.data.map((row: { id: string }) => row.id)).not.toContain(page.body.data[0].id);
    const value = rows[0]!.name;
    const filtered = (
      await api.getAs(
        manager,
        `/api/products?limit=100&filter[name][eq]=${encodeURIComponent(String(value))}`,
      )
    ).expectStatus(200);
    expect(filtered.body.data.map((row: { id: string }) => row.id)).toContain(rows[0]!.id);
  });

  it('updates with If-Match; a stale ETag answers 412', async () => {
    const created = (
      await api.postAs(manager, '/api/products', { name: 'name 3', price: 30.5, stock: 30, sku: 'sku 3' })
    ).expectStatus(201);
    const url = `/api/products/${created.body.id}`;
    const first = (await api.getAs(manager, url)).expectStatus(200);
    const stale = first.headers.get('etag')!;
    const change = { name: 'name 4' };
    const updated = (
      await api.patchAs(manager, url, change, { headers: { 'if-match': stale } })
    ).expectStatus(200);
    expect(updated.body).toMatchObject(change);
    (await api.patchAs(manager, url, change, { headers: { 'if-match': stale } })).expectProblem(412);
  });

  it('deletes: 204, then 404', async () => {
    const created = (
      await api.postAs(manager, '/api/products', { name: 'name 5', price: 50.5, stock: 50, sku: 'sku 5' })
    ).expectStatus(201);
    const url = `/api/products/${created.body.id}`;
    expect((await api.deleteAs(manager, url)).status).toBe(204);
    (await api.getAs(manager, url)).expectProblem(404);
  });

  it('refuses a body of the wrong type with a 400 problem naming the field', async () => {
    (
      await api.postAs(manager, '/api/products', { name: 42, price: 60.5, stock: 60, sku: 'sku 6' })
    ).expectProblem(400, 'name');
  });

  it('refuses a query the shape does not allow with a 400 problem', async () => {
    (await api.getAs(manager, '/api/products?filter[nope][eq]=1')).expectProblem(400);
    (await api.getAs(manager, '/api/products?limit=0')).expectProblem(400);
  });

  it('answers 409 when sku is taken', async () => {
    const input = { name: 'name 7', price: 70.5, stock: 70, sku: 'sku 7' };
    (await api.postAs(manager, '/api/products', input)).expectStatus(201);
    (await api.postAs(manager, '/api/products', input)).expectProblem(409);
  });

  it('needs a signed-in user with product permissions', async () => {
    (await api.get('/api/products')).expectProblem(401);
    (await api.getAs(outsider, '/api/products')).expectProblem(403);
    (
      await api.postAs(outsider, '/api/products', { name: 'name 8', price: 80.5, stock: 80, sku: 'sku 8' })
    ).expectProblem(403);
  });
});
