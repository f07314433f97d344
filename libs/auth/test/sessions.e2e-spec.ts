import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BootedApp } from '../../../test/support/boot-app.js';
import { bootAuthApp } from './fixtures/auth-app.js';
import { call, createUser, signIn } from './fixtures/client.js';

/** A problem body without what differs per request. */
const strip = (b: Record<string, unknown>) => ({ ...b, instance: undefined, requestId: undefined });

describe('auth: sign-in, refresh rotation, reuse detection, logout', () => {
  let app: BootedApp;

  beforeAll(async () => {
    app = await bootAuthApp({ lockout: { accountFailures: 3 } });
    await createUser(app, 'ada@test.dev', ['author']);
    await createUser(app, 'bob@test.dev', ['reader']);
    await createUser(app, 'locky@test.dev', ['reader']);
  });
  afterAll(() => app?.close());

  const auditTypes = async (subject?: string) =>
    (
      await app.sql.query<{ type: string }>(
        `SELECT type FROM kwik_auth_audit ${subject ? 'WHERE subject = $1' : ''} ORDER BY at`,
        subject ? [subject] : [],
      )
    ).rows.map((r) => r.type);

  it('signs in with the token pair of DEMO.md and serves /auth/me', async () => {
    const res = await call(app, 'POST', '/auth/login', {
      body: { email: 'ADA@test.dev', password: 'correct horse battery staple' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^rt_/),
      tokenType: 'Bearer',
      expiresIn: 900,
    });
    const me = await call(app, 'GET', '/auth/me', { token: res.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      email: 'ada@test.dev',
      roles: ['author'],
      permissions: expect.arrayContaining(['docs:read', 'docs:create', 'docs:update:own']),
      tenant: null,
    });
  });

  it('answers a wrong password and an unknown email with the same 401 body', async () => {
    const wrong = await call(app, 'POST', '/auth/login', {
      body: { email: 'bob@test.dev', password: 'nope-nope-nope' },
    });
    const unknown = await call(app, 'POST', '/auth/login', {
      body: { email: 'nobody@test.dev', password: 'nope-nope-nope' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
    expect(await auditTypes()).toContain('login.failed');
  });

  it('rejects a malformed login body with a 400 validation problem', async () => {
    const res = await call(app, 'POST', '/auth/login', { body: { email: 'not-an-email' } });
    expect(res.status).toBe(400);
    expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual([
      'email',
      'password',
    ]);
  });

  it('rotates the refresh token on every use; a spent one revokes the whole family', async () => {
    const first = await signIn(app, 'ada@test.dev');
    const second = await call(app, 'POST', '/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect((await call(app, 'GET', '/docs', { token: second.body.accessToken })).status).toBe(200);

    // The spent token presented again: 401, and the newest pair of the family stops working too.
    const replay = await call(app, 'POST', '/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(replay.status).toBe(401);
    expect(replay.body.detail).toMatch(/already used.*revoked/);
    expect(
      (await call(app, 'POST', '/auth/refresh', { body: { refreshToken: second.body.refreshToken } })).status,
    ).toBe(401);
    expect((await call(app, 'GET', '/docs', { token: second.body.accessToken })).status).toBe(401);
    expect((await call(app, 'GET', '/docs', { token: first.accessToken })).status).toBe(401);
    const { rows } = await app.sql.query(`SELECT type FROM kwik_auth_audit WHERE type = 'refresh.reused'`);
    expect(rows).toHaveLength(1);
  });

  it('of two concurrent refreshes with one token, exactly one wins', async () => {
    const pair = await signIn(app, 'bob@test.dev');
    const results = await Promise.all(
      [1, 2].map(() => call(app, 'POST', '/auth/refresh', { body: { refreshToken: pair.refreshToken } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('refuses unknown refresh tokens', async () => {
    const res = await call(app, 'POST', '/auth/refresh', { body: { refreshToken: 'rt_' + 'x'.repeat(43) } });
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/unknown/);
  });

  it('logout revokes the session: its access token fails at once, its refresh token too', async () => {
    const pair = await signIn(app, 'bob@test.dev');
    expect((await call(app, 'GET', '/docs', { token: pair.accessToken })).status).toBe(200);
    expect((await call(app, 'POST', '/auth/logout', { token: pair.accessToken })).status).toBe(204);
    const after = await call(app, 'GET', '/docs', { token: pair.accessToken });
    expect(after.status).toBe(401);
    expect(after.body.detail).toMatch(/revoked/);
    expect(
      (await call(app, 'POST', '/auth/refresh', { body: { refreshToken: pair.refreshToken } })).status,
    ).toBe(401);
  });

  it('lists sessions with device and ip, revokes one by id, and logs out everywhere', async () => {
    const a = await signIn(app, 'ada@test.dev');
    const b = await signIn(app, 'ada@test.dev');
    const list = await call(app, 'GET', '/auth/sessions', { token: a.accessToken });
    expect(list.status).toBe(200);
    const mine = list.body.data as { id: string; ip: string; current: boolean; userAgent: string }[];
    expect(mine.filter((s) => s.current)).toHaveLength(1);
    expect(mine[0]).toMatchObject({ ip: '127.0.0.1', userAgent: expect.any(String) });
    const other = mine.find((s) => !s.current)!;
    expect((await call(app, 'DELETE', `/auth/sessions/${other.id}`, { token: a.accessToken })).status).toBe(
      204,
    );
    expect((await call(app, 'DELETE', `/auth/sessions/${other.id}`, { token: a.accessToken })).status).toBe(
      204,
    );
    expect(
      (
        await call(app, 'DELETE', '/auth/sessions/00000000-0000-4000-8000-000000000000', {
          token: a.accessToken,
        })
      ).status,
    ).toBe(404);
    expect((await call(app, 'DELETE', '/auth/sessions/not-a-uuid', { token: a.accessToken })).status).toBe(
      400,
    );

    // The other session was b's: revoked by id, b stops working at once.
    expect((await call(app, 'GET', '/docs', { token: b.accessToken })).status).toBe(401);
    const c = await signIn(app, 'ada@test.dev');
    const all = await call(app, 'POST', '/auth/logout-all', { token: c.accessToken });
    expect(all.status).toBe(200);
    expect(all.body.revoked).toBeGreaterThanOrEqual(2);
    expect((await call(app, 'GET', '/docs', { token: a.accessToken })).status).toBe(401);
    expect((await call(app, 'GET', '/docs', { token: c.accessToken })).status).toBe(401);
  });

  it('locks an account after repeated failures (429 with Retry-After), even for the right password', async () => {
    for (let i = 0; i < 3; i++)
      expect(
        (
          await call(app, 'POST', '/auth/login', {
            body: { email: 'locky@test.dev', password: 'wrong-password!' },
          })
        ).status,
      ).toBe(401);
    const locked = await call(app, 'POST', '/auth/login', {
      body: { email: 'locky@test.dev', password: 'correct horse battery staple' },
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(locked.body.type).toMatch(/login-locked$/);
    expect(await auditTypes()).toContain('login.locked');
  });

  it('registers with the password policy and the default roles', async () => {
    const weak = await call(app, 'POST', '/auth/register', {
      body: { email: 'new@test.dev', password: 'password123', displayName: 'New' },
    });
    expect(weak.status).toBe(400);
    expect(weak.body.errors[0].field).toBe('password');
    const ok = await call(app, 'POST', '/auth/register', {
      body: { email: 'new@test.dev', password: 'a long and unusual passphrase', displayName: 'New' },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.user).toMatchObject({ email: 'new@test.dev', roles: ['reader'] });
    expect((await call(app, 'GET', '/docs', { token: ok.body.accessToken })).status).toBe(200);
    const again = await call(app, 'POST', '/auth/register', {
      body: { email: 'NEW@test.dev', password: 'a long and unusual passphrase', displayName: 'New' },
    });
    expect(again.status).toBe(409);
    const { rows } = await app.sql.query(
      `SELECT "passwordHash" FROM test_users WHERE email = 'new@test.dev'`,
    );
    expect(rows[0].passwordHash).toMatch(/^\$argon2id\$/);
  });
});
