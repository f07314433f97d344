import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet } from '../../../test/support/http-get.js';
import { bootTenantApp } from './fixtures/tenant-app.js';

type App = Awaited<ReturnType<typeof bootTenantApp>>;

describe('TenantModule, shared strategy (row-level security)', () => {
  let app: App;
  // node:http rather than fetch, which does not let a caller set `Host` (the subdomain resolver's input).
  const get = (path: string, headers: Record<string, string> = {}) =>
    httpGet(`${app.baseUrl}${path}`, headers);
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${app.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  // One pooled connection: every request below borrows the same one, so a setting that outlived
  // its statement would show up in the next tenant's (or the unscoped) answer.
  beforeAll(async () => {
    app = await bootTenantApp({}, 1);
  });
  afterAll(() => app?.close());

  it.each([
    ['header', { 'x-tenant-id': 'acme' }, 'acme'],
    ['upper-case header', { 'x-tenant-id': 'GLOBEX' }, 'globex'],
    ['subdomain', { host: 'globex.localhost' }, 'globex'],
  ])('resolves the tenant from the %s', async (_how, headers, slug) => {
    const res = await get('/notes/whoami', headers);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ slug });
  });

  it('resolves the tenant from the token claim', async () => {
    const res = await get('/notes/whoami', { 'x-test-tenant-claim': app.tenants.globex });
    expect(await res.json()).toEqual({ slug: 'globex' });
  });

  it.each([
    ['no tenant named', {}, 400, 'tenant-required'],
    ['an unknown tenant', { 'x-tenant-id': 'nope' }, 404, 'tenant-not-found'],
    ['a malformed tenant', { 'x-tenant-id': 'not a slug!' }, 400, 'tenant-invalid'],
  ])('answers %s with a problem', async (_what, headers, status, kind) => {
    const res = await get('/notes', headers);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { type: string; detail: string };
    expect(problem.type).toMatch(new RegExp(`/${kind}$`));
    expect(problem.detail).toBeTruthy();
  });

  it('refuses a token of one tenant used with another (403)', async () => {
    for (const headers of [
      { 'x-tenant-id': 'acme', 'x-test-tenant-claim': app.tenants.globex },
      { host: 'acme.localhost', 'x-test-tenant-claim': app.tenants.globex },
    ] as Record<string, string>[]) {
      const res = await get('/notes', headers);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { type: string }).type).toMatch(/\/tenant-mismatch$/);
    }
  });

  it('lets @TenantOptional() routes run without a tenant, and still resolves a named one', async () => {
    expect(await (await get('/notes/optional')).json()).toEqual({ slug: null });
    expect(await (await get('/notes/optional', { 'x-tenant-id': 'acme' })).json()).toEqual({ slug: 'acme' });
    expect((await get('/notes/optional', { 'x-tenant-id': 'nope' })).status).toBe(404);
  });

  it('reads through a repository without any filter return only the tenant’s rows (RLS)', async () => {
    const notes = (await (await get('/notes', { 'x-tenant-id': 'acme' })).json()) as { title: string }[];
    expect(notes.map((n) => n.title)).toEqual(['acme note 1', 'acme note 2']);
  });

  it('a raw query that forgets the tenant filter still returns no foreign rows', async () => {
    const notes = (await (await get('/notes/raw', { 'x-tenant-id': 'globex' })).json()) as {
      tenantId: string;
    }[];
    expect(notes).toHaveLength(2);
    expect(notes.every((n) => n.tenantId === app.tenants.globex)).toBe(true);
  });

  it('runs tenant statements as the app role, and nothing leaks to the next borrower of the connection', async () => {
    const acme = await (await get('/notes/session', { 'x-tenant-id': 'acme' })).json();
    expect(acme).toEqual({ user: 'kwik_app', tenant: app.tenants.acme });
    const globex = await (await get('/notes/session', { 'x-tenant-id': 'globex' })).json();
    expect(globex).toEqual({ user: 'kwik_app', tenant: app.tenants.globex });
    // The same (only) pooled connection, now without a tenant: the owner, no setting.
    const { rows } = await app.sql.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name <> 'psql'`,
    );
    expect(rows[0].n).toBeGreaterThanOrEqual(1);
    const unscoped = await (await get('/notes/optional')).json();
    expect(unscoped).toEqual({ slug: null });
  });

  it('applies the tenant to every statement of a transaction', async () => {
    const res = await get('/notes/in-transaction', { 'x-tenant-id': 'acme' });
    expect(await res.json()).toEqual({ count: 2, tenant: app.tenants.acme });
  });

  it('stamps new rows with the tenant and refuses rows for another', async () => {
    const created = await post('/notes', { title: 'stamped' }, { 'x-tenant-id': 'globex' });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { tenantId: string }).tenantId).toBe(app.tenants.globex);
    const foreign = await post(
      '/notes',
      { title: 'smuggled', tenantId: app.tenants.acme },
      { 'x-tenant-id': 'globex' },
    );
    expect(foreign.status).toBe(403);
    // Past the app's checks, PostgreSQL refuses it (WITH CHECK) and nothing is written.
    const raw = await post(
      '/notes/raw',
      { title: 'smuggled raw', tenantId: app.tenants.acme },
      { 'x-tenant-id': 'globex' },
    );
    expect(raw.status).toBe(403);
    const { rows } = await app.sql.query(
      `SELECT count(*)::int AS n FROM t_notes WHERE title LIKE 'smuggled%'`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('fails closed: the app role without a tenant setting sees no rows', async () => {
    await app.sql.query('BEGIN');
    try {
      await app.sql.query('SET LOCAL ROLE kwik_app');
      const { rows } = await app.sql.query('SELECT count(*)::int AS n FROM t_notes');
      expect(rows[0].n).toBe(0);
    } finally {
      await app.sql.query('ROLLBACK');
    }
  });
});
