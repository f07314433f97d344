import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet } from '../../../test/support/http-get.js';
import { TenantRegistry } from '@kwik/tenant';
import { bootRegistryApp, type RegistryAppOptions } from './fixtures/tenant-registry-app.js';

type App = Awaited<ReturnType<typeof bootRegistryApp>>;

/** A tenant as the admin endpoints show it. */
interface TenantView {
  id: string;
  slug: string;
  name: string;
  status: 'active' | 'suspended';
  plan: string | null;
  settings: {
    overrides: { values?: Record<string, unknown>; features?: Record<string, boolean> };
    effective: { values: Record<string, unknown>; features: Record<string, boolean> };
  };
}

interface Answer<T = unknown> {
  status: number;
  location: string | null;
  contentType: string;
  text: string;
  body: T;
}

const ADMIN = { 'x-test-permissions': 'tenants:manage' };
const DEFAULTS = {
  values: { maxNotes: 100, theme: 'light', greeting: 'hello' },
  features: { comments: true, export: false },
};

/** Sends a JSON request to `app`. */
async function send<T = unknown>(
  app: App,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<Answer<T>> {
  const res = await fetch(`${app.baseUrl}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    location: res.headers.get('location'),
    contentType: res.headers.get('content-type') ?? '',
    text,
    body: (text ? JSON.parse(text) : undefined) as T,
  };
}

/** Asserts a problem+json answer of `status` whose type ends with `kind`. */
function expectProblem(answer: Answer, status: number, kind: string): void {
  expect(answer).toMatchObject({ status });
  expect(answer.contentType).toContain('application/problem+json');
  expect((answer.body as { type: string }).type).toMatch(new RegExp(`/${kind}$`));
}

describe('TenantModule admin endpoints and TenantRegistry', () => {
  let app: App;
  const admin = <T = TenantView>(method: string, path: string, body?: unknown) =>
    send<T>(app, method, path, ADMIN, body);
  const asTenant = <T = unknown>(slug: string, method = 'GET', path = '/notes', body?: unknown) =>
    send<T>(app, method, path, { 'x-tenant-id': slug }, body);

  const byClaim = () => send(app, 'GET', '/notes', { 'x-test-tenant-claim': app.tenants.globex });
  const bySubdomain = () => httpGet(`${app.baseUrl}/notes`, { host: 'globex.localhost' });

  beforeAll(async () => {
    app = await bootRegistryApp();
  });
  afterAll(() => app?.close());

  describe('access', () => {
    const calls: [string, string, unknown?][] = [
      ['GET', '/tenants'],
      ['GET', '/tenants/acme'],
      ['POST', '/tenants', { slug: 'intruder', name: 'Intruder' }],
      ['PATCH', '/tenants/acme', { name: 'Hijacked', status: 'suspended' }],
      ['DELETE', '/tenants/acme'],
    ];

    it.each<[string, Record<string, string>, number, string]>([
      ['no principal', {}, 401, 'unauthorized'],
      ['a principal without permissions', { 'x-test-permissions': '' }, 403, 'forbidden'],
      [
        'a principal with other permissions',
        { 'x-test-permissions': 'notes:read,tenants:read' },
        403,
        'forbidden',
      ],
      ['a wildcard on another resource', { 'x-test-permissions': 'notes:*' }, 403, 'forbidden'],
      ['a tenant named but no principal', { 'x-tenant-id': 'acme' }, 401, 'unauthorized'],
    ])('answers %s with %i on every endpoint, changing nothing', async (_who, headers, status, kind) => {
      for (const [method, path, body] of calls)
        expectProblem(await send(app, method, path, headers, body), status, kind);
      const acme = await admin('GET', '/tenants/acme');
      expect(acme.body).toMatchObject({ name: 'ACME', status: 'active' });
      expect((await admin('GET', '/tenants/intruder')).status).toBe(404);
    });

    it.each([['tenants:manage'], ['tenants:*'], ['*'], ['notes:read,tenants:manage']])(
      'lets a principal with %s in',
      async (permissions) => {
        const res = await send<{ data: TenantView[] }>(app, 'GET', '/tenants', {
          'x-test-permissions': permissions,
        });
        expect(res.status).toBe(200);
        expect(res.body.data.map((t) => t.slug)).toEqual(expect.arrayContaining(['acme', 'globex']));
      },
    );
  });

  describe('POST /tenants', () => {
    it('provisions a tenant: 201, its Location, its effective settings, and it is served at once', async () => {
      // An unknown slug is remembered as unknown for a while; provisioning forgets that at once.
      expectProblem(await asTenant('initech'), 404, 'tenant-not-found');
      const created = await admin('POST', '/tenants', {
        slug: 'initech',
        name: 'Initech',
        plan: 'pro',
        settings: { values: { maxNotes: 500 }, features: { comments: false } },
      });
      expect(created).toMatchObject({ status: 201 });
      expect(created.location).toBe('/tenants/initech');
      expect(created.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        slug: 'initech',
        name: 'Initech',
        status: 'active',
        plan: 'pro',
        settings: {
          overrides: { values: { maxNotes: 500 }, features: { comments: false } },
          effective: {
            values: { ...DEFAULTS.values, maxNotes: 500 },
            features: { ...DEFAULTS.features, comments: false },
          },
        },
      });
      expect((await admin('GET', created.location!)).body).toEqual(created.body);
      const notes = await asTenant('initech');
      expect(notes.status).toBe(200);
      expect(notes.body).toEqual([]);
      expect((await asTenant('initech', 'GET', '/platform/whoami')).body).toMatchObject({
        slug: 'initech',
        maxNotes: 500,
        theme: 'light',
        comments: false,
      });
    });

    it('provisions with the name alone: no plan, no overrides, every default in effect', async () => {
      const created = await admin('POST', '/tenants', { slug: 'hooli', name: 'Hooli' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ slug: 'hooli', plan: null, status: 'active' });
      expect(created.body.settings.effective).toEqual(DEFAULTS);
    });

    it('answers 409 for a taken slug and leaves the tenant as it was', async () => {
      const taken = await admin('POST', '/tenants', { slug: 'acme', name: 'Another Acme' });
      expectProblem(taken, 409, 'conflict');
      expect((await admin('GET', '/tenants/acme')).body).toMatchObject({ name: 'ACME' });
    });

    it('points Location at the new tenant even when the request carried a query string', async () => {
      const created = await admin('POST', '/tenants?source=console', { slug: 'vandelay', name: 'Vandelay' });
      expect(created.status).toBe(201);
      expect(created.location).toBe('/tenants/vandelay');
    });

    it('creates a slug asked for by several admins at once exactly once; the others get 409', async () => {
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => admin('POST', '/tenants', { slug: 'contested', name: 'Contested' })),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
      for (const answer of answers.filter((a) => a.status === 409)) expectProblem(answer, 409, 'conflict');
      const { rows } = await app.sql.query(
        `SELECT count(*)::int AS n FROM r_tenants WHERE slug = 'contested'`,
      );
      expect(rows[0].n).toBe(1);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['an upper-case slug', { slug: 'Umbrella', name: 'U' }, 'slug'],
      ['a slug with a space', { slug: 'um brella', name: 'U' }, 'slug'],
      ['a slug with a trailing hyphen', { slug: 'umbrella-', name: 'U' }, 'slug'],
      ['a 64-character slug', { slug: 'u'.repeat(64), name: 'U' }, 'slug'],
      ['no name', { slug: 'umbrella' }, 'name'],
      ['an unknown property', { slug: 'umbrella', name: 'U', owner: 'me' }, 'owner'],
      [
        'an undeclared setting',
        { slug: 'umbrella', name: 'U', settings: { values: { colour: 'red' } } },
        'settings.values.colour',
      ],
      [
        'a setting of the wrong type',
        { slug: 'umbrella', name: 'U', settings: { values: { maxNotes: 'many' } } },
        'settings.values.maxNotes',
      ],
      [
        'a setting below its minimum',
        { slug: 'umbrella', name: 'U', settings: { values: { maxNotes: 0 } } },
        'settings.values.maxNotes',
      ],
      [
        'a fraction for a whole-number setting',
        { slug: 'umbrella', name: 'U', settings: { values: { maxNotes: 2.5 } } },
        'settings.values.maxNotes',
      ],
      [
        'a setting outside its choices',
        { slug: 'umbrella', name: 'U', settings: { values: { theme: 'blue' } } },
        'settings.values.theme',
      ],
      [
        'an undeclared feature',
        { slug: 'umbrella', name: 'U', settings: { features: { beta: true } } },
        'settings.features.beta',
      ],
      [
        'a feature that is not a boolean',
        { slug: 'umbrella', name: 'U', settings: { features: { comments: 'yes' } } },
        'settings.features.comments',
      ],
    ])('answers 400 for %s and creates nothing', async (_case, body, field) => {
      const res = await admin('POST', '/tenants', body);
      expect(res).toMatchObject({ status: 400 });
      expect(res.contentType).toContain('application/problem+json');
      expect(res.text).toContain(field);
      const { rows } = await app.sql.query(`SELECT count(*)::int AS n FROM r_tenants WHERE slug = $1`, [
        body.slug,
      ]);
      expect(rows[0].n).toBe(0);
    });
  });

  describe('GET /tenants', () => {
    it('lists every tenant by slug, each with its effective settings', async () => {
      const res = await admin<{ data: TenantView[] }>('GET', '/tenants');
      expect(res.status).toBe(200);
      const slugs = res.body.data.map((t) => t.slug);
      expect(slugs).toEqual([...slugs].sort());
      const { rows } = await app.sql.query(`SELECT count(*)::int AS n FROM r_tenants`);
      expect(slugs).toHaveLength(rows[0].n);
      for (const tenant of res.body.data)
        expect(Object.keys(tenant.settings.effective.values)).toHaveLength(3);
      const acme = res.body.data.find((t) => t.slug === 'acme');
      expect(acme).toEqual((await admin('GET', '/tenants/acme')).body);
    });

    it('shows one tenant, and 404 for an unknown one', async () => {
      const acme = await admin('GET', '/tenants/acme');
      expect(acme.status).toBe(200);
      expect(acme.body).toEqual({
        id: app.tenants.acme,
        slug: 'acme',
        name: 'ACME',
        status: 'active',
        plan: null,
        settings: { overrides: {}, effective: DEFAULTS },
      });
      expectProblem(await admin('GET', '/tenants/nope'), 404, 'tenant-not-found');
    });
  });

  describe('PATCH /tenants/:slug', () => {
    it('renames a tenant, and its next request sees the new name at once', async () => {
      expect((await asTenant('globex', 'GET', '/platform/whoami')).body).toMatchObject({ name: 'GLOBEX' });
      const renamed = await admin('PATCH', '/tenants/globex', { name: 'Globex Corporation' });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ slug: 'globex', name: 'Globex Corporation' });
      expect((await asTenant('globex', 'GET', '/platform/whoami')).body).toMatchObject({
        name: 'Globex Corporation',
      });
    });

    it('changes the plan, and null clears it', async () => {
      expect((await admin('PATCH', '/tenants/globex', { plan: 'enterprise' })).body.plan).toBe('enterprise');
      expect((await asTenant('globex', 'GET', '/platform/whoami')).body).toMatchObject({
        plan: 'enterprise',
      });
      expect((await admin('PATCH', '/tenants/globex', { plan: null })).body.plan).toBeNull();
      expect((await asTenant('globex', 'GET', '/platform/whoami')).body).toMatchObject({ plan: null });
    });

    it('overrides settings, keeps other overrides, and null restores the default', async () => {
      const dark = await admin('PATCH', '/tenants/globex', {
        settings: { values: { theme: 'dark', maxNotes: 250 } },
      });
      expect(dark.body.settings).toEqual({
        overrides: { values: { theme: 'dark', maxNotes: 250 }, features: {} },
        effective: {
          values: { ...DEFAULTS.values, theme: 'dark', maxNotes: 250 },
          features: DEFAULTS.features,
        },
      });
      expect((await asTenant('globex', 'GET', '/platform/whoami')).body).toMatchObject({
        theme: 'dark',
        maxNotes: 250,
      });

      const restored = await admin('PATCH', '/tenants/globex', {
        settings: { values: { theme: null }, features: { export: true, comments: false } },
      });
      expect(restored.body.settings).toEqual({
        overrides: { values: { maxNotes: 250 }, features: { export: true, comments: false } },
        effective: {
          values: { ...DEFAULTS.values, maxNotes: 250 },
          features: { export: true, comments: false },
        },
      });
      expect((await asTenant('globex', 'GET', '/platform/whoami')).body).toMatchObject({
        theme: 'light',
        maxNotes: 250,
        comments: false,
      });

      const cleared = await admin('PATCH', '/tenants/globex', {
        settings: { values: { maxNotes: null }, features: { export: null, comments: null } },
      });
      expect(cleared.body.settings).toEqual({ overrides: { values: {}, features: {} }, effective: DEFAULTS });
      const { rows } = await app.sql.query(`SELECT settings FROM r_tenants WHERE slug = 'globex'`);
      expect(rows[0].settings).toEqual({ values: {}, features: {} });
    });

    it.each<[string, Record<string, unknown>]>([
      ['an unknown status', { status: 'deleted' }],
      ['an empty name', { name: '' }],
      ['an undeclared setting', { settings: { values: { colour: 'red' } } }],
      ['a setting above its maximum', { settings: { values: { maxNotes: 1001 } } }],
      ['a feature that is not a boolean', { settings: { features: { export: 'on' } } }],
    ])('answers 400 for %s and changes nothing', async (_case, body) => {
      const before = (await admin('GET', '/tenants/acme')).body;
      const res = await admin('PATCH', '/tenants/acme', body);
      expect(res).toMatchObject({ status: 400 });
      expect(res.contentType).toContain('application/problem+json');
      expect((await admin('GET', '/tenants/acme')).body).toEqual(before);
    });

    it('answers 404 for an unknown tenant, creating nothing', async () => {
      expectProblem(await admin('PATCH', '/tenants/nope', { name: 'Nope' }), 404, 'tenant-not-found');
      expect((await admin('GET', '/tenants/nope')).status).toBe(404);
    });
  });

  describe('suspension', () => {
    it("refuses a suspended tenant's requests at once (403 tenant-suspended), however it is named, and serves it again once reactivated", async () => {
      // Resolved (and so cached) by slug and by id before the change.
      expect((await asTenant('globex')).status).toBe(200);
      expect((await byClaim()).status).toBe(200);

      const suspended = await admin('PATCH', '/tenants/globex', { status: 'suspended' });
      expect(suspended.body.status).toBe('suspended');
      expectProblem(await asTenant('globex'), 403, 'tenant-suspended');
      expectProblem(await byClaim(), 403, 'tenant-suspended');
      const viaHost = await bySubdomain();
      expect(viaHost.status).toBe(403);
      expect(((await viaHost.json()) as { type: string }).type).toMatch(/\/tenant-suspended$/);
      expect((await asTenant('acme')).status).toBe(200);
      expect((await admin('GET', '/tenants/globex')).body.status).toBe('suspended');

      const reactivated = await admin('PATCH', '/tenants/globex', { status: 'active' });
      expect(reactivated.body.status).toBe('active');
      const notes = await asTenant<{ title: string }[]>('globex');
      expect(notes.status).toBe(200);
      expect(notes.body.map((n) => n.title)).toEqual(['globex note 1', 'globex note 2']);
      expect((await byClaim()).status).toBe(200);
    });
  });

  describe('DELETE /tenants/:slug', () => {
    it('deprovisions a tenant: 204, its rows go with it, it is unknown at once, and a second delete is a 404', async () => {
      const created = await admin('POST', '/tenants', { slug: 'doomed', name: 'Doomed' });
      expect(created.status).toBe(201);
      for (const title of ['doomed a', 'doomed b'])
        expect((await asTenant('doomed', 'POST', '/notes', { title })).status).toBe(201);
      expect((await asTenant<unknown[]>('doomed')).body).toHaveLength(2);

      const removed = await admin('DELETE', '/tenants/doomed');
      expect(removed.status).toBe(204);
      expect(removed.text).toBe('');

      const { rows } = await app.sql.query(`SELECT count(*)::int AS n FROM r_notes WHERE "tenantId" = $1`, [
        created.body.id,
      ]);
      expect(rows[0].n).toBe(0);
      expectProblem(await admin('GET', '/tenants/doomed'), 404, 'tenant-not-found');
      expectProblem(await asTenant('doomed'), 404, 'tenant-not-found');
      expectProblem(await admin('DELETE', '/tenants/doomed'), 404, 'tenant-not-found');
      expect((await asTenant<unknown[]>('acme')).body).toHaveLength(2);
    });
  });

  describe('DELETE /tenants/:slug of a tenant whose data a foreign key keeps', () => {
    it('answers 409 and removes nothing', async () => {
      const created = await admin('POST', '/tenants', { slug: 'billed', name: 'Billed' });
      await app.sql.query(`INSERT INTO r_invoices ("tenantId") VALUES ($1)`, [created.body.id]);
      expect((await asTenant('billed', 'POST', '/notes', { title: 'billed note' })).status).toBe(201);

      expectProblem(await admin('DELETE', '/tenants/billed'), 409, 'conflict');
      expect((await admin('GET', '/tenants/billed')).body).toMatchObject({
        slug: 'billed',
        status: 'active',
      });
      expect((await asTenant<{ title: string }[]>('billed')).body.map((n) => n.title)).toEqual([
        'billed note',
      ]);
    });
  });

  describe('TenantRegistry used by app code inside a tenant request', () => {
    it('is set up so that the app role may not change the registry', async () => {
      await app.sql.query('BEGIN');
      try {
        await app.sql.query('SET LOCAL ROLE kwik_app');
        await expect(app.sql.query(`UPDATE r_tenants SET name = name`)).rejects.toThrow(/permission denied/);
      } finally {
        await app.sql.query('ROLLBACK');
      }
    });

    it('lists, changes and provisions tenants, unscoped, while the request stays in its tenant', async () => {
      const listed = await asTenant<{ slugs: string[] }>('acme', 'GET', '/platform/tenants');
      expect(listed.status).toBe(200);
      expect(listed.body.slugs).toEqual(expect.arrayContaining(['acme', 'globex']));

      const upgraded = await asTenant<{ plan: string }>('acme', 'POST', '/platform/plan', { plan: 'gold' });
      expect(upgraded).toMatchObject({ status: 200 });
      expect(upgraded.body.plan).toBe('gold');
      expect((await asTenant('acme', 'GET', '/platform/whoami')).body).toMatchObject({
        slug: 'acme',
        plan: 'gold',
      });

      const spun = await asTenant<{ slug: string }>('acme', 'POST', '/platform/spin-off', {
        slug: 'acme-labs',
      });
      expect(spun).toMatchObject({ status: 201 });
      expect(spun.body.slug).toBe('acme-labs');
      expect((await asTenant('acme-labs')).body).toEqual([]);
      expect((await asTenant<unknown[]>('acme')).body).toHaveLength(2);
    });
  });

  describe('TenantRegistry called from app code', () => {
    it.each<[string, (registry: TenantRegistry) => Promise<unknown>]>([
      ['provisioning a malformed slug', (r) => r.provision({ slug: 'Not A Slug', name: 'x' })],
      [
        'provisioning an undeclared setting',
        (r) => r.provision({ slug: 'fine', name: 'x', settings: { values: { nope: 1 } } }),
      ],
      [
        'updating with a setting of the wrong type',
        (r) => r.update('acme', { settings: { values: { maxNotes: 'many' } } }),
      ],
    ])(
      'answers app code %s with a rejected promise (400), never a synchronous throw',
      async (_case, call) => {
        const registry = app.app.get(TenantRegistry);
        let promise: Promise<unknown> | undefined;
        expect(() => {
          promise = call(registry);
        }).not.toThrow();
        await expect(promise).rejects.toMatchObject({ problem: { status: 400 } });
      },
    );
  });
});

describe('TenantModule admin endpoints, configured', () => {
  const apps: App[] = [];
  const boot = async (options: RegistryAppOptions): Promise<App> => {
    const app = await bootRegistryApp(options);
    apps.push(app);
    return app;
  };
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('mounts the endpoints at adminPath and asks for admin.permission', async () => {
    const app = await boot({ adminPath: 'admin/orgs', admin: { permission: 'orgs:admin' } });
    const list = (permissions: string) =>
      send<{ data: TenantView[] }>(app, 'GET', '/admin/orgs', { 'x-test-permissions': permissions });
    expect((await list('orgs:admin')).body.data.map((t) => t.slug)).toEqual(['acme', 'globex']);
    expect((await list('orgs:*')).status).toBe(200);
    expectProblem(await list('tenants:manage'), 403, 'forbidden');
    const created = await send<TenantView>(
      app,
      'POST',
      '/admin/orgs',
      { 'x-test-permissions': 'orgs:admin' },
      {
        slug: 'initech',
        name: 'Initech',
      },
    );
    expect(created.status).toBe(201);
    expect(created.location).toBe('/admin/orgs/initech');
    expect((await send(app, 'GET', '/tenants', ADMIN)).status).toBe(404);
  });

  it('leaves the endpoints out with adminPath: false', async () => {
    const app = await boot({ adminPath: false });
    expect((await send(app, 'GET', '/tenants', ADMIN)).status).toBe(404);
    expect((await send(app, 'POST', '/tenants', ADMIN, { slug: 'initech', name: 'Initech' })).status).toBe(
      404,
    );
    expect((await send(app, 'GET', '/notes', { 'x-tenant-id': 'acme' })).status).toBe(200);
  });
});
