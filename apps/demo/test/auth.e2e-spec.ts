import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startDemo, STRATEGIES, type DemoUnderTest } from './support.js';

/** DEMO.md "Auth" over HTTP: sign-in, roles → permissions on posts, security headers, rate limits. */
describe.each(STRATEGIES)('demo: auth and security over HTTP, %s strategy', (strategy) => {
  let demo: DemoUnderTest;
  const tokens: Record<string, string> = {};
  const call = (
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${demo.baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    demo = await startDemo(strategy);
    for (const role of ['reader', 'author', 'editor', 'admin'])
      tokens[role] = await login(demo.baseUrl, `${role}@acme.test`);
    tokens.globex = await login(demo.baseUrl, 'admin@globex.test');
  });
  afterAll(() => demo?.close());

  it('needs a token on every /api route (401 problem), not on health and docs', async () => {
    const res = await call('GET', '/api/posts');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await call('GET', '/health/ready')).status).toBe(200);
    expect((await call('GET', '/docs/json')).status).toBe(200);
  });

  it('GET /api/auth/me answers { id, email, displayName, roles, permissions, tenant }', async () => {
    const res = await call('GET', '/api/auth/me', tokens.author);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      email: 'author@acme.test',
      displayName: 'Author Acme',
      roles: ['author'],
      permissions: expect.arrayContaining([
        'posts:read',
        'comments:read',
        'posts:create',
        'posts:update:own',
        'comments:create',
      ]),
      tenant: { id: expect.any(String) },
    });
  });

  it('applies roles → permissions to posts: reader reads, author writes own, editor publishes, admin deletes', async () => {
    expect((await call('GET', '/api/posts?limit=1', tokens.reader)).status).toBe(200);
    expect((await call('POST', '/api/posts', tokens.reader, { title: 'x', body: 'y' })).status).toBe(403);

    const created = await call('POST', '/api/posts', tokens.author, { title: 'Mine', body: 'text' });
    expect(created.status).toBe(201);
    const post = (await created.json()) as { id: string; authorId: string };
    expect(
      (await call('PATCH', `/api/posts/${post.id}`, tokens.author, { title: 'Mine, edited' })).status,
    ).toBe(200);
    // An author may not publish, nor edit someone else's post.
    expect(
      (await call('PATCH', `/api/posts/${post.id}`, tokens.author, { status: 'published' })).status,
    ).toBe(403);
    const others = (await (
      await call('GET', '/api/posts?limit=50&fields=id,authorId', tokens.reader)
    ).json()) as {
      data: { id: string; authorId: string }[];
    };
    const foreign = others.data.find((p) => p.authorId !== post.authorId)!;
    const denied = await call('PATCH', `/api/posts/${foreign.id}`, tokens.author, { title: 'hijack' });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { detail: string }).detail).toMatch(/posts:update/);

    expect(
      (await call('PATCH', `/api/posts/${post.id}`, tokens.editor, { status: 'published' })).status,
    ).toBe(200);
    expect((await call('DELETE', `/api/posts/${post.id}`, tokens.editor)).status).toBe(403);
    expect((await call('DELETE', `/api/posts/${post.id}`, tokens.admin)).status).toBe(204);
  });

  it('keeps each tenant to its own posts', async () => {
    const acme = (await (await call('GET', '/api/posts?limit=1', tokens.admin)).json()) as {
      data: { id: string }[];
    };
    expect((await call('GET', `/api/posts/${acme.data[0]!.id}`, tokens.globex)).status).toBe(404);
  });

  it('refresh rotates; a spent refresh token revokes the session; logout is immediate', async () => {
    const pair = (await (
      await call('POST', '/api/auth/login', undefined, {
        email: 'reader@acme.test',
        password: 'kwik-demo-pass',
      })
    ).json()) as {
      accessToken: string;
      refreshToken: string;
    };
    const next = await call('POST', '/api/auth/refresh', undefined, { refreshToken: pair.refreshToken });
    expect(next.status).toBe(200);
    const fresh = (await next.json()) as { accessToken: string };
    expect(
      (await call('POST', '/api/auth/refresh', undefined, { refreshToken: pair.refreshToken })).status,
    ).toBe(401);
    expect((await call('GET', '/api/posts?limit=1', fresh.accessToken)).status).toBe(401);

    const other = await login(demo.baseUrl, 'reader@acme.test');
    expect((await call('POST', '/api/auth/logout', other)).status).toBe(204);
    expect((await call('GET', '/api/posts?limit=1', other)).status).toBe(401);
  });

  it('authenticates API keys with Bearer and X-API-Key within their scopes', async () => {
    const res = await call('POST', '/api/auth/api-keys', tokens.editor, {
      name: 'reporting',
      scopes: ['posts:read'],
    });
    expect(res.status).toBe(201);
    const { key } = (await res.json()) as { key: string };
    expect((await call('GET', '/api/posts?limit=1', key)).status).toBe(200);
    expect((await call('GET', '/api/posts?limit=1', undefined, undefined, { 'x-api-key': key })).status).toBe(
      200,
    );
    expect((await call('POST', '/api/posts', key, { title: 'x', body: 'y' })).status).toBe(403);
  });

  it('sends security headers and RateLimit headers', async () => {
    const res = await call('GET', '/api/posts?limit=1', tokens.reader);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('ratelimit-policy')).toMatch(/^"authenticated";q=6000;w=60$/);
    expect(res.headers.get('ratelimit')).toMatch(/^"authenticated";r=\d+;t=\d+$/);
  });
});
