import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthTestUser } from '@kwik/auth';
import type { BootedApp } from '../../../test/support/boot-app.js';
import { bootAuthApp } from './fixtures/auth-app.js';
import { call, signIn } from './fixtures/client.js';

/** `createAuthTestUser()`: users written for tests sign in through the real login and hold what they were given. */
describe('auth: createAuthTestUser', () => {
  let app: BootedApp;
  beforeAll(async () => {
    app = await bootAuthApp();
  });
  afterAll(() => app?.close());

  const get = async (email: string, password: string, path: string) =>
    (await call(app, 'GET', path, { token: (await signIn(app, email, password)).accessToken })).status;

  it('a user with permissions signs in and passes exactly the checks those permissions pass', async () => {
    const reader = await createAuthTestUser(app.app, { permissions: ['docs:read'] });
    expect(reader.roles).toEqual([expect.stringMatching(/^kwik-test-[0-9a-f]{16}$/)]);
    expect(await get(reader.email, reader.password, '/docs')).toBe(200);
    const created = await call(app, 'POST', '/docs', {
      token: (await signIn(app, reader.email, reader.password)).accessToken,
      body: { title: 'x', ownerId: reader.id },
    });
    expect(created.status).toBe(403);
  });

  it('one role per permission list, reused; declared roles given by name', async () => {
    const a = await createAuthTestUser(app.app, { permissions: ['docs:read', 'docs:create'] });
    const b = await createAuthTestUser(app.app, { permissions: ['docs:create', 'docs:read', 'docs:read'] });
    expect(a.roles).toEqual(b.roles);
    const rows = await app.sql.query<{ permissions: string[] }>(
      'SELECT permissions FROM kwik_auth_roles WHERE name = $1',
      [a.roles[0]],
    );
    expect(rows.rows[0]!.permissions).toEqual(['docs:create', 'docs:read']);
    const editor = await createAuthTestUser(app.app, {
      roles: ['editor'],
      email: 'Ed@Example.TEST',
      password: 'a fine test passphrase',
    });
    expect(editor).toMatchObject({
      email: 'ed@example.test',
      password: 'a fine test passphrase',
      roles: ['editor'],
    });
    expect(await get('ed@example.test', 'a fine test passphrase', '/docs/editors-only')).toBe(200);
  });

  it('a user with nothing gets 403 on guarded routes, and its tenant is kept', async () => {
    const tenantId = '0b8f3f0e-3c2b-4f7a-9a55-2f1d7c9e4b10';
    const nobody = await createAuthTestUser(app.app, { tenantId, tenant: 'acme' });
    expect(nobody.tenant).toBe('acme');
    expect(nobody.roles).toEqual([]);
    const { rows } = await app.sql.query<{ tenantId: string }>(
      'SELECT "tenantId" FROM test_users WHERE id = $1',
      [nobody.id],
    );
    expect(rows[0]!.tenantId).toBe(tenantId);
    expect(await get(nobody.email, nobody.password, '/docs')).toBe(403);
  });

  it('refuses a role the hierarchy does not declare', async () => {
    await expect(createAuthTestUser(app.app, { roles: ['root'] })).rejects.toThrow(
      'createAuthTestUser: unknown role(s) root; declare them in AuthModule.forRoot({ roles })',
    );
  });
});
