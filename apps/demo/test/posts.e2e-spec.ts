import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from '@kwik/testing';
import { DEMO_USERS, DemoScenario, startDemo, STRATEGIES, type DemoUnderTest } from './support.js';

interface PostBody {
  id: string;
  title: string;
  body: string;
  status: string;
  tags: string[];
  views: number;
  publishedAt: string | null;
  authorId: string;
  author: { id: string; email: string; displayName: string };
  createdAt: string;
  updatedAt: string;
  version: number;
}

interface PostPage {
  data: PostBody[];
  meta: { limit: number; nextCursor: string | null; prevCursor: string | null; total?: number };
}

const { admin } = DEMO_USERS.acme;
const globexAdmin = DEMO_USERS.globex.admin;

describe.each(STRATEGIES)('demo: posts over HTTP (PostgreSQL server), %s strategy', (strategy) => {
  let demo: DemoUnderTest;
  // Every /api route needs a principal: the kit's client signed in as admin@acme.test, in acme.
  let api: TestClient;
  /** `meta.total` of the list (`count=true`). */
  const total = async (): Promise<number> =>
    (await api.get<{ meta: { total: number } }>('/api/posts?count=true&limit=1')).expectStatus(200).body.meta
      .total;

  beforeAll(async () => {
    // Every JSON response is checked against the demo's OpenAPI document (of its api-version).
    demo = await startDemo(strategy, { client: { validateResponses: true } });
    api = demo.client.asTenant('acme').as(admin);
  });
  afterAll(() => demo?.close());

  it('is ready and documents its routes', async () => {
    const ready = (await api.get('/health/ready')).expectStatus(200);
    expect(ready.body).toMatchObject({ status: 'ok', checks: { database: { status: 'up' } } });
    const doc = (await api.get<{ paths: Record<string, unknown> }>('/docs/json')).expectStatus(200).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/posts', '/api/posts/{id}']));
  });

  it('lists the seeded posts newest first, in cursor pages with Link headers', async () => {
    const first = (await api.get<PostPage>('/api/posts?limit=20&count=true')).expectStatus(200);
    expect(first.headers.get('x-total-count')).toBe('50');
    const page1 = first.body;
    expect(page1.data).toHaveLength(20);
    expect(page1.meta).toMatchObject({ limit: 20, prevCursor: null, total: 50 });
    expect(page1.data[0]).toMatchObject({ author: { email: expect.stringMatching(/@acme\.test$/) } });
    const times = page1.data.map((p) => Date.parse(p.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(first.headers.get('link')).toContain('rel="next"');

    const ids = new Set(page1.data.map((p) => p.id));
    let cursor = page1.meta.nextCursor as string;
    let pages = 1;
    while (cursor && pages < 10) {
      const page = (await api.get<PostPage>(`/api/posts?limit=20&after=${cursor}`)).body;
      page.data.forEach((p) => ids.add(p.id));
      expect(page.meta.prevCursor).not.toBeNull();
      cursor = page.meta.nextCursor as string;
      pages++;
    }
    expect(pages).toBe(3);
    expect(ids.size).toBe(50);

    const second = (await api.get<PostPage>(`/api/posts?limit=20&after=${page1.meta.nextCursor}`)).body;
    const back = (await api.get<PostPage>(`/api/posts?limit=20&before=${second.meta.prevCursor}`)).body;
    expect(back.data.map((p) => p.id)).toEqual(page1.data.map((p) => p.id));
  });

  it.each([
    ['/api/posts?limit=0', 'limit'],
    ['/api/posts?limit=101', 'limit'],
    ['/api/posts?after=not-a-cursor', 'after'],
    ['/api/posts?sort=body', 'sort'],
    ['/api/posts?filter[views][gt]=abc', 'filter[views][gt]'],
    ['/api/posts?filter[secret]=1', 'filter[secret]'],
    ['/api/posts?fields=id,passwordHash', 'fields'],
    ['/api/posts/not-a-uuid', 'id'],
  ])('GET %s → 400 problem naming %s', async (path, field) => {
    // A 400 application/problem+json whose errors name the field.
    (await api.get(path)).expectProblem(400, field);
  });

  it('lists only the fields asked for, nested ones included (and the document allows it)', async () => {
    const page = (await api.get('/api/posts?fields=id,author.email&limit=2')).expectStatus(200);
    expect(page.body.data).toHaveLength(2);
    for (const row of page.body.data) expect(Object.keys(row).sort()).toEqual(['author', 'id']);
    expect(Object.keys(page.body.data[0].author)).toEqual(['email']);
  });

  it('creates, reads, updates and deletes a post', async () => {
    const created = (
      await api.post<PostBody>('/api/posts', { title: 'Hello Kwik', body: 'First!', tags: ['news'] })
    ).expectStatus(201);
    const post = created.body;
    expect(created.headers.get('location')).toBe(`/api/posts/${post.id}`);
    expect(post).toMatchObject({
      title: 'Hello Kwik',
      status: 'draft',
      tags: ['news'],
      views: 0,
      version: 1,
      publishedAt: null,
    });
    expect(post.author.email).toBe('admin@acme.test');

    const fetched = (await api.get<PostBody>(`/api/posts/${post.id}`)).body;
    expect(fetched).toEqual(post);

    const patched = (
      await api.patch<PostBody>(`/api/posts/${post.id}`, { status: 'published', title: 'Hello again' })
    ).expectStatus(200);
    const updated = patched.body;
    expect(updated).toMatchObject({ title: 'Hello again', body: 'First!', status: 'published', version: 2 });
    expect(updated.publishedAt).not.toBeNull();

    (await api.delete(`/api/posts/${post.id}`)).expectStatus(204);
    const gone = (await api.get(`/api/posts/${post.id}`)).expectProblem(404);
    expect(gone).toMatchObject({ type: 'https://kwik.dev/problems/not-found', status: 404 });
    (await api.delete(`/api/posts/${post.id}`)).expectProblem(404);
  });

  it('rejects a bad post with every problem and writes nothing', async () => {
    const before = await total();
    const problem = (
      await api.post('/api/posts', { title: '', status: 'live', tags: ['Bad Tag'], authorId: 'x' })
    ).expectProblem(400);
    expect([...new Set(problem.errors!.map((e) => e.field))].sort()).toEqual([
      'authorId',
      'body',
      'status',
      'tags',
      'title',
    ]);
    expect(await total()).toBe(before);
  });

  it('serves ETags: 304 for a current If-None-Match, 412 for a stale If-Match', async () => {
    // A fresh post (version 1) of admin@acme.test, saved by a factory in acme's scope.
    const {
      posts: [post],
    } = await DemoScenario.create(demo.testApp)
      .inTenant('acme')
      .byUser(admin.email)
      .withPosts(1, { title: 'Tagged', content: 'v1' })
      .build();
    const path = `/api/posts/${post!.id}`;
    const read = (await api.get(path)).expectStatus(200);
    // v1's representation (the default version) has its own tag: the row version plus `.v1`.
    expect(read.headers.get('etag')).toBe('"1.v1"');
    const cached = (await api.get(path, { headers: { 'if-none-match': '"1.v1"' } })).expectStatus(304);
    expect(cached.text).toBe('');
    // v2's tag names another representation: a v1 client holding it gets the v1 body, cached or not.
    (await api.get(path, { headers: { 'if-none-match': '"1"' } })).expectStatus(200);
    const v2 = { accept: 'application/vnd.kwik.v2+json' };
    (await api.get(path, { headers: { ...v2, 'if-none-match': '"1.v1"' } })).expectStatus(200);
    (await api.get(path, { headers: { ...v2, 'if-none-match': '"1"' } })).expectStatus(304);

    const first = (await api.patch(path, { body: 'v2' }, { headers: { 'if-match': '"1"' } })).expectStatus(
      200,
    );
    expect(first.headers.get('etag')).toBe('"2.v1"');
    const stale = (await api.patch(path, { body: 'v3' }, { headers: { 'if-match': '"1"' } })).expectProblem(
      412,
    );
    expect(stale).toMatchObject({ type: 'https://kwik.dev/problems/precondition-failed', status: 412 });
    const now = (await api.get<PostBody>(path)).body;
    expect(now).toMatchObject({ body: 'v2', version: 2 });

    (await api.delete(path, { headers: { 'if-match': '"1"' } })).expectProblem(412);
    (await api.delete(path, { headers: { 'if-match': '"2"' } })).expectStatus(204);
  });

  it('writes in bulk, all or nothing', async () => {
    // Set up through the API, not a factory: the count below is read through the cached list,
    // which only the API's own writes evict.
    const target = (await api.post<PostBody>('/api/posts', { title: 'Bulk target', body: 'x' })).expectStatus(
      201,
    ).body;
    const doomed = (await api.post<PostBody>('/api/posts', { title: 'Bulk doomed', body: 'x' })).expectStatus(
      201,
    ).body;
    const before = await total();

    const problem = (
      await api.post('/api/posts/bulk', {
        create: [
          { title: 'A', body: 'a' },
          { title: 'B', body: 'b' },
          { title: '', body: 'c' },
        ],
        delete: [doomed.id],
      })
    ).expectProblem(400, 'create[2].title');
    expect(problem.errors).toEqual([
      expect.objectContaining({ field: 'create[2].title', index: 2, op: 'create' }),
    ]);
    expect(await total()).toBe(before);

    const ok = (
      await api.post<{ created: PostBody[]; updated: PostBody[]; deleted: string[] }>('/api/posts/bulk', {
        create: [
          { title: 'A', body: 'a' },
          { title: 'B', body: 'b', status: 'published' },
        ],
        update: [{ id: target.id, title: 'Bulk updated' }],
        delete: [doomed.id],
      })
    ).expectStatus(200);
    const result = ok.body;
    expect(result.created.map((p) => [p.title, p.status, p.author.email])).toEqual([
      ['A', 'draft', 'admin@acme.test'],
      ['B', 'published', 'admin@acme.test'],
    ]);
    expect(result.created[1]!.publishedAt).not.toBeNull();
    expect(result.updated).toEqual([
      expect.objectContaining({ id: target.id, title: 'Bulk updated', version: 2 }),
    ]);
    expect(result.deleted).toEqual([doomed.id]);
    expect(await total()).toBe(before + 1);
  });

  it('never shows or touches a post of another tenant', async () => {
    // A post of globex, saved in globex's scope: the shared table, or globex's own schema.
    const {
      posts: [foreign],
    } = await DemoScenario.create(demo.testApp)
      .inTenant('globex')
      .byUser(globexAdmin.email)
      .withPosts(1, { title: 'Globex only' })
      .build();
    // It is there for globex…
    (await demo.client.getAs(globexAdmin, `/api/posts/${foreign!.id}`)).expectStatus(200);
    // …and not for acme.
    (await api.get(`/api/posts/${foreign!.id}`)).expectProblem(404);
    (await api.patch(`/api/posts/${foreign!.id}`, { title: 'mine now' })).expectProblem(404);
    (await api.delete(`/api/posts/${foreign!.id}`)).expectProblem(404);
    (await api.post('/api/posts/bulk', { delete: [foreign!.id] })).expectProblem(400);
    (await api.get(`/api/posts/${foreign!.id}/comments`)).expectProblem(404);
  });

  it('lists and adds comments', async () => {
    const page = (await api.get<PostPage>('/api/posts?limit=1')).expectStatus(200).body;
    const id = page.data[0]!.id;
    const before = (await api.get<{ data: unknown[] }>(`/api/posts/${id}/comments`)).expectStatus(200).body;
    const added = (await api.post(`/api/posts/${id}/comments`, { body: 'Nice post' })).expectStatus(201);
    expect(added.body).toMatchObject({
      postId: id,
      body: 'Nice post',
      author: { email: 'admin@acme.test' },
    });
    const after = (await api.get<{ data: unknown[] }>(`/api/posts/${id}/comments`)).expectStatus(200).body;
    expect(after.data).toHaveLength(before.data.length + 1);
    (await api.post(`/api/posts/${id}/comments`, {})).expectProblem(400);
  });

  it('echoes the request id on success and error', async () => {
    const ok = await api.get('/api/posts?limit=1', { headers: { 'x-request-id': 'demo-req-1' } });
    expect(ok.headers.get('x-request-id')).toBe('demo-req-1');
    const bad = await api.get('/api/nope', { headers: { 'x-request-id': 'demo-req-2' } });
    bad.expectProblem(404);
    expect(bad.headers.get('x-request-id')).toBe('demo-req-2');
  });
});
