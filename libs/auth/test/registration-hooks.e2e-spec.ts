import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProblemException, RequestContext } from '@kwik/core';
import { TransactionManager } from '@kwik/database';
import { AuthHooks, AuthService, type AuthHook } from '@kwik/auth';
import type { BootedApp } from '../../../test/support/boot-app.js';
import { bootAuthApp } from './fixtures/auth-app.js';
import { call } from './fixtures/client.js';

const PASSPHRASE = 'a long and unusual passphrase';

/** `AuthHooks.onRegistered` over HTTP: the app's code runs in the registration's transaction. */
describe('auth: registration hooks (AuthHooks)', () => {
  let app: BootedApp;
  let hooks: AuthHooks;
  let tx: TransactionManager;
  const removers: (() => void)[] = [];
  const hook = (h: AuthHook) => removers.push(hooks.register(h));

  beforeAll(async () => {
    app = await bootAuthApp();
    hooks = app.app.get(AuthHooks);
    tx = app.app.get(TransactionManager);
  });
  afterEach(() => {
    for (const remove of removers.splice(0)) remove();
  });
  afterAll(() => app?.close());

  const register = (email: string, headers: Record<string, string> = {}) =>
    call(app, 'POST', '/auth/register', {
      body: { email, password: PASSPHRASE, displayName: 'New' },
      headers,
    });
  /** The rows of `from` seen from another connection: committed ones only. */
  const count = async (from: string, ...params: unknown[]): Promise<number> =>
    Number((await app.sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${from}`, params)).rows[0]!.n);
  const totals = async () => ({
    users: await count('test_users'),
    sessions: await count('kwik_auth_sessions'),
    audit: await count(`kwik_auth_audit WHERE type = ANY($1)`, ['user.registered', 'login.succeeded']),
  });

  it("runs inside the registration's transaction and request: the hook's writes commit with the user", async () => {
    const seen: { inTransaction: boolean; sameManager: boolean; committedYet: number; requestId?: string }[] =
      [];
    const ctx = app.app.get(RequestContext);
    hook({
      name: 'provision',
      onRegistered: async ({ user, manager }) => {
        seen.push({
          inTransaction: tx.inTransaction,
          sameManager: tx.manager === manager,
          // Another connection does not see the user yet: it is not committed while hooks run.
          committedYet: await count('test_users WHERE id = $1', user.id),
          requestId: ctx.requestId,
        });
        await manager.query(`INSERT INTO test_docs ("ownerId", title) VALUES ($1, 'through the event')`, [
          user.id,
        ]);
        // What joins TransactionManager.run() (TaskQueue.enqueue() does) is part of it too.
        await tx.manager.query(
          `INSERT INTO test_docs ("ownerId", title) VALUES ($1, 'through the ambient')`,
          [user.id],
        );
      },
    });
    const requestId = randomUUID();
    const res = await register('hooked@test.dev', { 'x-request-id': requestId });
    expect(res.status).toBe(201);
    const userId = res.body.user.id as string;
    expect(seen).toEqual([{ inTransaction: true, sameManager: true, committedYet: 0, requestId }]);
    const { rows } = await app.sql.query<{ title: string }>(
      `SELECT title FROM test_docs WHERE "ownerId" = $1 ORDER BY title`,
      [userId],
    );
    expect(rows.map((r) => r.title)).toEqual(['through the ambient', 'through the event']);
    expect((await call(app, 'GET', '/auth/me', { token: res.body.accessToken })).status).toBe(200);
  });

  it.each([
    [
      'a ProblemException: its status',
      () =>
        new ProblemException({
          status: 422,
          kind: 'registration-refused',
          title: 'Unprocessable',
          detail: 'No.',
        }),
      422,
      /\/registration-refused$/,
    ],
    ['any other error: 500', () => new Error('mail server on fire'), 500, /\/internal-error$/],
  ])(
    'fails the registration with nothing written when a hook throws %s',
    async (_name, error, status, type) => {
      const email = `refused-${status}@test.dev`;
      const before = await totals();
      hook({
        name: 'first-writes',
        onRegistered: ({ user, manager }) =>
          manager.query(`INSERT INTO test_docs ("ownerId", title) VALUES ($1, $2)`, [user.id, email]),
      });
      hook({
        name: 'then-refuses',
        onRegistered: () => {
          throw error();
        },
      });
      const res = await register(email);
      expect(res.status).toBe(status);
      expect(res.body.type).toMatch(type);
      expect(await totals()).toEqual(before);
      expect(await count('test_users WHERE email = $1', email)).toBe(0);
      expect(await count('test_docs WHERE title = $1', email)).toBe(0);
      // Nothing was kept: without the hooks the same email registers.
      for (const remove of removers.splice(0)) remove();
      expect((await register(email)).status).toBe(201);
    },
  );

  it('keeps a registration whose audit row cannot be written (only that insert is undone)', async () => {
    await app.sql.query(`ALTER TABLE kwik_auth_audit RENAME TO kwik_auth_audit_away`);
    try {
      const ran: string[] = [];
      hook({ name: 'after', onRegistered: ({ user }) => void ran.push(user.email) });
      const res = await register('unaudited@test.dev');
      expect(res.status).toBe(201);
      expect(ran).toEqual(['unaudited@test.dev']);
      expect(await count('test_users WHERE email = $1', 'unaudited@test.dev')).toBe(1);
      expect(await count('kwik_auth_sessions WHERE "userId" = $1', res.body.user.id)).toBe(1);
    } finally {
      await app.sql.query(`ALTER TABLE kwik_auth_audit_away RENAME TO kwik_auth_audit`);
    }
  });

  it("joins the caller's transaction when AuthService.register() runs inside one", async () => {
    const auth = app.app.get(AuthService);
    const ran: string[] = [];
    hook({ name: 'joined', onRegistered: ({ user }) => void ran.push(user.email) });
    await expect(
      tx.run(async () => {
        await auth.register({ email: 'outer@test.dev', password: PASSPHRASE, displayName: 'Outer' }, {});
        throw new Error('the caller changes its mind');
      }),
    ).rejects.toThrow('the caller changes its mind');
    expect(ran).toEqual(['outer@test.dev']);
    expect(await count('test_users WHERE email = $1', 'outer@test.dev')).toBe(0);
  });
});
