import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessControl, ApiKeyService, RoleRegistry } from '@kwik/auth';
import type { BootedApp } from '../../../test/support/boot-app.js';
import { bootAuthApp } from './fixtures/auth-app.js';
import { call, createUser, signIn } from './fixtures/client.js';

describe('auth: RBAC (@HasPermission, @HasRole, :own) and API keys', () => {
  let app: BootedApp;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    app = await bootAuthApp({ apiKeyLastUsedFlushSeconds: 1, apiKeyCacheSeconds: 60 });
    for (const role of ['reader', 'author', 'editor', 'admin']) {
      ids[role] = await createUser(app, `${role}@test.dev`, [role]);
      tokens[role] = (await signIn(app, `${role}@test.dev`)).accessToken;
    }
    ids.author2 = await createUser(app, 'author2@test.dev', ['author']);
    tokens.author2 = (await signIn(app, 'author2@test.dev')).accessToken;
  });
  afterAll(() => app?.close());

  it('stores the roles declared in code in the database', async () => {
    const { rows } = await app.sql.query(
      `SELECT name, inherits, permissions, "fromCode" FROM kwik_auth_roles ORDER BY name`,
    );
    expect(rows).toContainEqual({
      name: 'editor',
      inherits: ['author'],
      permissions: ['docs:update'],
      fromCode: true,
    });
  });

  it('checks permissions through the role hierarchy; 403 problems are audited', async () => {
    expect((await call(app, 'GET', '/docs', { token: tokens.reader })).status).toBe(200);
    const denied = await call(app, 'POST', '/docs', {
      token: tokens.reader,
      body: { title: 't', ownerId: ids.reader },
    });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ status: 403, detail: expect.stringMatching(/docs:create/) });
    expect(
      (await call(app, 'POST', '/docs', { token: tokens.author, body: { title: 't', ownerId: ids.author } }))
        .status,
    ).toBe(201);
    expect((await call(app, 'GET', '/docs/editors-only', { token: tokens.author })).status).toBe(403);
    expect((await call(app, 'GET', '/docs/editors-only', { token: tokens.editor })).status).toBe(200);
    const { rows } = await app.sql.query(
      `SELECT "actorId", ip, "requestId" FROM kwik_auth_audit WHERE type = 'permission.denied'`,
    );
    expect(rows[0]).toMatchObject({ actorId: ids.reader, ip: '127.0.0.1', requestId: expect.any(String) });
  });

  it('resolves :own against the resource owner; the full permission and * need no owner', async () => {
    const doc = (
      await call(app, 'POST', '/docs', { token: tokens.author, body: { title: 'mine', ownerId: ids.author } })
    ).body;
    expect(
      (await call(app, 'PATCH', `/docs/${doc.id}`, { token: tokens.author, body: { title: 'edited' } }))
        .status,
    ).toBe(200);
    const foreign = await call(app, 'PATCH', `/docs/${doc.id}`, {
      token: tokens.author2,
      body: { title: 'stolen' },
    });
    expect(foreign.status).toBe(403);
    expect(
      (await call(app, 'PATCH', `/docs/${doc.id}`, { token: tokens.reader, body: { title: 'x' } })).status,
    ).toBe(403);
    expect(
      (await call(app, 'PATCH', `/docs/${doc.id}`, { token: tokens.editor, body: { title: 'by editor' } }))
        .status,
    ).toBe(200);
    expect(
      (await call(app, 'PATCH', `/docs/${doc.id}`, { token: tokens.admin, body: { title: 'by admin' } }))
        .status,
    ).toBe(200);
  });

  it('serves the audit log to audit:read holders, filtered and newest first', async () => {
    expect((await call(app, 'GET', '/auth/audit', { token: tokens.reader })).status).toBe(403);
    const res = await call(app, 'GET', '/auth/audit?type=permission.denied&limit=5', { token: tokens.admin });
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeGreaterThan(0);
    expect(res.body.data.every((e: { type: string }) => e.type === 'permission.denied')).toBe(true);
    const times = res.body.data.map((e: { at: string }) => Date.parse(e.at));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    expect((await call(app, 'GET', '/auth/audit?since=yesterday', { token: tokens.admin })).status).toBe(400);
    expect((await call(app, 'GET', '/auth/audit?limit=abc', { token: tokens.admin })).status).toBe(400);
  });

  it('applies a role changed in the database to tokens already in use, once the registry reloads', async () => {
    const registry = app.app.get(RoleRegistry);
    const read = () => call(app, 'GET', '/docs', { token: tokens.reader });
    expect((await read()).status).toBe(200); // the token's principal is remembered from here on
    await app.sql.query(`UPDATE kwik_auth_roles SET permissions = '{}' WHERE name = 'reader'`);
    try {
      expect((await read()).status).toBe(200); // not reloaded yet: the compiled graph is in force
      await registry.reload();
      expect((await read()).status).toBe(403);
    } finally {
      await app.sql.query(`UPDATE kwik_auth_roles SET permissions = '{docs:read}' WHERE name = 'reader'`);
      await registry.reload();
    }
    expect((await read()).status).toBe(200);
  });

  it('AccessControl answers outside the guard too', () => {
    const access = app.app.get(AccessControl);
    expect(access.can('docs:read')).toBe(false); // no request, no principal
    expect(app.app.get(RoleRegistry).hasRole(['editor'], 'reader')).toBe(true);
    expect(app.app.get(RoleRegistry).hasRole(['reader'], 'editor')).toBe(false);
  });

  it('creates an API key once, stores only its hash, and authenticates with either header', async () => {
    const created = await call(app, 'POST', '/auth/api-keys', {
      token: tokens.editor,
      body: { name: 'ci', scopes: ['docs:read'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      key: expect.stringMatching(/^kwik_[a-z0-9]{10}_\w+$/),
      scopes: ['docs:read'],
      expiresAt: null,
    });
    const { key, prefix, id } = created.body;
    const { rows } = await app.sql.query(`SELECT hash, prefix FROM kwik_auth_api_keys WHERE id = $1`, [id]);
    expect(rows[0].prefix).toBe(prefix);
    expect(rows[0].hash).not.toContain(key.split('_')[2]);
    expect((await call(app, 'GET', '/docs', { token: key })).status).toBe(200);
    expect((await call(app, 'GET', '/docs', { apiKey: key })).status).toBe(200);
    const me = await call(app, 'GET', '/auth/me', { apiKey: key });
    expect(me.body).toMatchObject({
      id: ids.editor,
      permissions: ['docs:read'],
      apiKey: { id, scopes: ['docs:read'] },
    });
    const list = await call(app, 'GET', '/auth/api-keys', { token: tokens.editor });
    expect(list.body.data).toEqual([expect.objectContaining({ id, prefix, name: 'ci' })]);
    expect(JSON.stringify(list.body)).not.toContain(key);
  });

  it('limits a key to its scopes, within its user’s permissions', async () => {
    const { key } = (
      await call(app, 'POST', '/auth/api-keys', {
        token: tokens.editor,
        body: { name: 'ro', scopes: ['docs:read'] },
      })
    ).body;
    const refused = await call(app, 'POST', '/docs', {
      apiKey: key,
      body: { title: 't', ownerId: ids.editor },
    });
    expect(refused.status).toBe(403);
    const beyond = await call(app, 'POST', '/auth/api-keys', {
      token: tokens.reader,
      body: { name: 'x', scopes: ['docs:create'] },
    });
    expect(beyond.status).toBe(400);
    expect(beyond.body.errors[0]).toMatchObject({ field: 'scopes' });
    const bad = await call(app, 'POST', '/auth/api-keys', {
      token: tokens.reader,
      body: { name: 'x', scopes: ['not a scope'] },
    });
    expect(bad.status).toBe(400);
    // A key cannot mint keys.
    expect(
      (await call(app, 'POST', '/auth/api-keys', { apiKey: key, body: { name: 'y', scopes: ['docs:read'] } }))
        .status,
    ).toBe(403);
  });

  it('refuses unknown, malformed, expired and revoked keys with 401; revocation is immediate', async () => {
    const { key, id } = (
      await call(app, 'POST', '/auth/api-keys', {
        token: tokens.admin,
        body: { name: 'tmp', scopes: ['docs:read'] },
      })
    ).body;
    expect((await call(app, 'GET', '/docs', { apiKey: key })).status).toBe(200); // now cached
    const forged = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await call(app, 'GET', '/docs', { apiKey: forged })).body.detail).toMatch(
      /API key was refused: it is unknown/,
    );
    expect((await call(app, 'GET', '/docs', { apiKey: 'kwik_short' })).status).toBe(401);
    const jwtAsKey = await call(app, 'GET', '/docs', { apiKey: tokens.admin });
    expect(jwtAsKey.status).toBe(401);
    expect(jwtAsKey.body.detail).toMatch(/X-API-Key header must carry an API key/);
    expect((await call(app, 'DELETE', `/auth/api-keys/${id}`, { token: tokens.admin })).status).toBe(204);
    const revoked = await call(app, 'GET', '/docs', { apiKey: key });
    expect(revoked.status).toBe(401);
    expect(revoked.body.detail).toMatch(/revoked/);
    const types = (
      await app.sql.query(`SELECT type FROM kwik_auth_audit WHERE subject = $1 ORDER BY at`, [id])
    ).rows.map((r) => r.type);
    expect(types).toEqual(['api-key.created', 'api-key.revoked']);

    const past = await call(app, 'POST', '/auth/api-keys', {
      token: tokens.admin,
      body: { name: 'old', scopes: ['docs:read'], expiresAt: '2020-01-01T00:00:00Z' },
    });
    expect(past.status).toBe(400);
    const soon = (
      await call(app, 'POST', '/auth/api-keys', {
        token: tokens.admin,
        body: { name: 'soon', scopes: ['docs:read'], expiresAt: new Date(Date.now() + 60_000).toISOString() },
      })
    ).body;
    await app.sql.query(
      `UPDATE kwik_auth_api_keys SET "expiresAt" = now() - interval '1 second' WHERE id = $1`,
      [soon.id],
    );
    const expired = await call(app, 'GET', '/docs', { apiKey: soon.key });
    expect(expired.status).toBe(401);
    expect(expired.body.detail).toMatch(/expired/);
  });

  it('tracks last use in batches, not with a write per request', async () => {
    const { key, id } = (
      await call(app, 'POST', '/auth/api-keys', {
        token: tokens.admin,
        body: { name: 'used', scopes: ['docs:read'] },
      })
    ).body;
    for (let i = 0; i < 5; i++) await call(app, 'GET', '/docs', { apiKey: key });
    await app.app.get(ApiKeyService).onApplicationShutdown(); // flush now instead of waiting for the timer
    const { rows } = await app.sql.query(`SELECT "lastUsedAt" FROM kwik_auth_api_keys WHERE id = $1`, [id]);
    expect(rows[0].lastUsedAt).toBeInstanceOf(Date);
  });
});
