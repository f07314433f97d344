import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from '@kwik/testing';
import { DEMO_USERS, startDemo, STRATEGIES, type DemoUnderTest } from './support.js';

const { reader, author, editor, admin } = DEMO_USERS.acme;
const globexAdmin = DEMO_USERS.globex.admin;

/** DEMO.md "Auth" over HTTP: sign-in, roles → permissions on posts, security headers, rate limits. */
describe.each(STRATEGIES)('demo: auth and security over HTTP, %s strategy', (strategy) => {
  let demo: DemoUnderTest;
  /** The kit's client, anonymous and in no tenant (`getAs(user, …)` signs users in, once each). */
  let client: TestClient;

  beforeAll(async () => {
    // Every JSON response is checked against the demo's OpenAPI document (of its api-version).
    demo = await startDemo(strategy, { client: { validateResponses: true } });
    client = demo.client;
    // Every role signs in up front, as the suite always did (the kit keeps the tokens).
    for (const user of [reader, author, editor, admin, globexAdmin]) await client.token(user);
  });
  afterAll(() => demo?.close());

  it('needs a token on every /api route (401 problem), not on health and docs', async () => {
    (await client.get('/api/posts')).expectProblem(401);
    (await client.get('/health/ready')).expectStatus(200);
    (await client.get('/docs/json')).expectStatus(200);
  });

  it('GET /api/auth/me answers { id, email, displayName, roles, permissions, tenant }', async () => {
    const res = (await client.getAs(author, '/api/auth/me')).expectStatus(200);
    expect(res.body).toMatchObject({
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
    (await client.getAs(reader, '/api/posts?limit=1')).expectStatus(200);
    (await client.postAs(reader, '/api/posts', { title: 'x', body: 'y' })).expectProblem(403);

    const created = (await client.postAs(author, '/api/posts', { title: 'Mine', body: 'text' })).expectStatus(
      201,
    );
    const post = created.body as { id: string; authorId: string };
    (await client.patchAs(author, `/api/posts/${post.id}`, { title: 'Mine, edited' })).expectStatus(200);
    // An author may not publish, nor edit someone else's post.
    (await client.patchAs(author, `/api/posts/${post.id}`, { status: 'published' })).expectProblem(403);
    const others = (
      await client.getAs<{ data: { id: string; authorId: string }[] }>(
        reader,
        '/api/posts?limit=50&fields=id,authorId',
      )
    ).expectStatus(200).body;
    const foreign = others.data.find((p) => p.authorId !== post.authorId)!;
    const denied = (
      await client.patchAs(author, `/api/posts/${foreign.id}`, { title: 'hijack' })
    ).expectProblem(403);
    expect(denied.detail).toMatch(/posts:update/);

    (await client.patchAs(editor, `/api/posts/${post.id}`, { status: 'published' })).expectStatus(200);
    (await client.deleteAs(editor, `/api/posts/${post.id}`)).expectProblem(403);
    (await client.deleteAs(admin, `/api/posts/${post.id}`)).expectStatus(204);
  });

  it('keeps each tenant to its own posts', async () => {
    const acme = (await client.getAs<{ data: { id: string }[] }>(admin, '/api/posts?limit=1')).expectStatus(
      200,
    ).body;
    (await client.getAs(globexAdmin, `/api/posts/${acme.data[0]!.id}`)).expectProblem(404);
  });

  it('refresh rotates; a spent refresh token revokes the session; logout is immediate', async () => {
    // A session of its own (the login itself is under test, not the kit's cached sign-in).
    const pair = (
      await client.post<{ accessToken: string; refreshToken: string }>('/api/auth/login', {
        email: 'reader@acme.test',
        password: 'kwik-demo-pass',
      })
    ).expectStatus(200).body;
    const next = (
      await client.post<{ accessToken: string }>('/api/auth/refresh', { refreshToken: pair.refreshToken })
    ).expectStatus(200);
    const fresh = next.body;
    (await client.post('/api/auth/refresh', { refreshToken: pair.refreshToken })).expectProblem(401);
    // The access token the refresh answered with, sent as it is: the session's whole family is revoked.
    (
      await client.withHeaders({ authorization: `Bearer ${fresh.accessToken}` }).get('/api/posts?limit=1')
    ).expectProblem(401);

    // Another session of the reader (signed in without a tenant header, so the kit caches it apart
    // from `reader`'s, which the next tests keep using): logged out, it is refused at once.
    const other = client.as({ email: reader.email, password: reader.password });
    (await other.post('/api/auth/logout')).expectStatus(204);
    (await other.get('/api/posts?limit=1')).expectProblem(401);
  });

  it('authenticates API keys with Bearer and X-API-Key within their scopes', async () => {
    const res = (
      await client.postAs(editor, '/api/auth/api-keys', { name: 'reporting', scopes: ['posts:read'] })
    ).expectStatus(201);
    const { key } = res.body as { key: string };
    (await client.withApiKey(key).get('/api/posts?limit=1')).expectStatus(200);
    (await client.withHeaders({ 'x-api-key': key }).get('/api/posts?limit=1')).expectStatus(200);
    (await client.withApiKey(key).post('/api/posts', { title: 'x', body: 'y' })).expectProblem(403);
  });

  it('sends security headers and RateLimit headers', async () => {
    const res = (await client.getAs(reader, '/api/posts?limit=1')).expectStatus(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('ratelimit-policy')).toMatch(/^"authenticated";q=6000;w=60$/);
    expect(res.headers.get('ratelimit')).toMatch(/^"authenticated";r=\d+;t=\d+$/);
  });
});
