import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BootedApp } from '../../../test/support/boot-app.js';
import { bootAuthApp } from './fixtures/auth-app.js';
import { call, createUser, signIn } from './fixtures/client.js';

/** Two app instances on one database and one Redis: what one revokes, the other refuses. */
describe('auth: two instances sharing Redis', () => {
  let a: BootedApp;
  let b: BootedApp;
  const email = `multi-${randomUUID().slice(0, 8)}@test.dev`;

  beforeAll(async () => {
    a = await bootAuthApp({ lockout: { accountFailures: 4 } }, { redis: true });
    b = await bootAuthApp({ lockout: { accountFailures: 4 } }, { redis: true, db: a.db });
    await createUser(a, email, ['reader']);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('the schema of the migrations matches the entities (nothing left to generate)', async () => {
    const pending = await a.app.get(DataSource).driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('a token issued by one instance works on the other', async () => {
    const pair = await signIn(a, email);
    expect((await call(b, 'GET', '/docs', { token: pair.accessToken })).status).toBe(200);
  });

  it('logout on one instance revokes the access token on the other at once', async () => {
    const pair = await signIn(a, email);
    expect((await call(b, 'GET', '/docs', { token: pair.accessToken })).status).toBe(200); // b verified and remembers it
    expect((await call(a, 'POST', '/auth/logout', { token: pair.accessToken })).status).toBe(204);
    const refused = await call(b, 'GET', '/docs', { token: pair.accessToken });
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/revoked/);
  });

  it('a new instance loads the revocations made before it started', async () => {
    const pair = await signIn(a, email);
    expect((await call(a, 'POST', '/auth/logout', { token: pair.accessToken })).status).toBe(204);
    const c = await bootAuthApp({}, { redis: true, db: a.db });
    try {
      expect((await call(c, 'GET', '/docs', { token: pair.accessToken })).status).toBe(401);
    } finally {
      await c.close();
    }
  });

  it('counts failed sign-ins across instances for the lockout', async () => {
    const target = `lock-${randomUUID().slice(0, 8)}@test.dev`;
    await createUser(a, target, ['reader']);
    const wrong = { email: target, password: 'wrong password here' };
    for (const app of [a, b, a, b])
      expect((await call(app, 'POST', '/auth/login', { body: wrong })).status).toBe(401);
    expect(
      (
        await call(a, 'POST', '/auth/login', {
          body: { email: target, password: 'correct horse battery staple' },
        })
      ).status,
    ).toBe(429);
    expect(
      (
        await call(b, 'POST', '/auth/login', {
          body: { email: target, password: 'correct horse battery staple' },
        })
      ).status,
    ).toBe(429);
  });
});
