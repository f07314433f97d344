import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteSchemaName, tenantSchemaName } from '@kwik/tenant';
import { startDemo, STRATEGIES, type DemoUnderTest } from './support.js';

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

describe.each(STRATEGIES)('demo: posts over HTTP (PostgreSQL server), %s strategy', (strategy) => {
  let demo: DemoUnderTest;
  // Every /api route needs a principal: the demo's fetch is signed in as admin@acme.test.
  const fetch = (input: string, init?: RequestInit) => demo.fetch(input, init);
  const url = (path: string) => `${demo.baseUrl}${path}`;
  const json = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(url(path), {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const total = async () =>
    ((await (await fetch(url('/api/posts?count=true&limit=1'))).json()) as { meta: { total: number } }).meta
      .total;

  beforeAll(async () => {
    demo = await startDemo(strategy);
  });
  afterAll(() => demo?.close());

  it('is ready and documents its routes', async () => {
    const ready = await fetch(url('/health/ready'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { database: { status: 'up' } } });
    const doc = (await (await fetch(url('/docs/json'))).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/posts', '/api/posts/{id}']));
  });

  it('lists the seeded posts newest first, in cursor pages with Link headers', async () => {
    const first = await fetch(url('/api/posts?limit=20&count=true'));
    expect(first.status).toBe(200);
    expect(first.headers.get('x-total-count')).toBe('50');
    const page1 = (await first.json()) as { data: PostBody[]; meta: Record<string, unknown> };
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
      const page = (await (await fetch(url(`/api/posts?limit=20&after=${cursor}`))).json()) as {
        data: PostBody[];
        meta: { nextCursor: string | null; prevCursor: string | null };
      };
      page.data.forEach((p) => ids.add(p.id));
      expect(page.meta.prevCursor).not.toBeNull();
      cursor = page.meta.nextCursor as string;
      pages++;
    }
    expect(pages).toBe(3);
    expect(ids.size).toBe(50);

    const second = (await (
      await fetch(url(`/api/posts?limit=20&after=${page1.meta.nextCursor}`))
    ).json()) as {
      data: PostBody[];
      meta: { prevCursor: string };
    };
    const back = (await (
      await fetch(url(`/api/posts?limit=20&before=${second.meta.prevCursor}`))
    ).json()) as {
      data: PostBody[];
    };
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
    const res = await fetch(url(path));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field)).toContain(field);
  });

  it('creates, reads, updates and deletes a post', async () => {
    const created = await json('POST', '/api/posts', { title: 'Hello Kwik', body: 'First!', tags: ['news'] });
    expect(created.status).toBe(201);
    const post = (await created.json()) as PostBody;
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

    const fetched = (await (await fetch(url(`/api/posts/${post.id}`))).json()) as PostBody;
    expect(fetched).toEqual(post);

    const patched = await json('PATCH', `/api/posts/${post.id}`, {
      status: 'published',
      title: 'Hello again',
    });
    expect(patched.status).toBe(200);
    const updated = (await patched.json()) as PostBody;
    expect(updated).toMatchObject({ title: 'Hello again', body: 'First!', status: 'published', version: 2 });
    expect(updated.publishedAt).not.toBeNull();

    expect((await json('DELETE', `/api/posts/${post.id}`)).status).toBe(204);
    const gone = await fetch(url(`/api/posts/${post.id}`));
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ type: 'https://kwik.dev/problems/not-found', status: 404 });
    expect((await json('DELETE', `/api/posts/${post.id}`)).status).toBe(404);
  });

  it('rejects a bad post with every problem and writes nothing', async () => {
    const before = (await (await fetch(url('/api/posts?count=true&limit=1'))).json()) as {
      meta: { total: number };
    };
    const res = await json('POST', '/api/posts', {
      title: '',
      status: 'live',
      tags: ['Bad Tag'],
      authorId: 'x',
    });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: { field: string }[] };
    expect([...new Set(problem.errors.map((e) => e.field))].sort()).toEqual([
      'authorId',
      'body',
      'status',
      'tags',
      'title',
    ]);
    const after = (await (await fetch(url('/api/posts?count=true&limit=1'))).json()) as {
      meta: { total: number };
    };
    expect(after.meta.total).toBe(before.meta.total);
  });

  it('serves ETags: 304 for a current If-None-Match, 412 for a stale If-Match', async () => {
    const post = (await (
      await json('POST', '/api/posts', { title: 'Tagged', body: 'v1' })
    ).json()) as PostBody;
    const read = await fetch(url(`/api/posts/${post.id}`));
    // v1's representation (the default version) has its own tag: the row version plus `.v1`.
    expect(read.headers.get('etag')).toBe('"1.v1"');
    const cached = await fetch(url(`/api/posts/${post.id}`), { headers: { 'if-none-match': '"1.v1"' } });
    expect(cached.status).toBe(304);
    expect(await cached.text()).toBe('');
    // v2's tag names another representation: a v1 client holding it gets the v1 body, cached or not.
    expect((await fetch(url(`/api/posts/${post.id}`), { headers: { 'if-none-match': '"1"' } })).status).toBe(
      200,
    );
    const v2 = { accept: 'application/vnd.kwik.v2+json' };
    expect(
      (await fetch(url(`/api/posts/${post.id}`), { headers: { ...v2, 'if-none-match': '"1.v1"' } })).status,
    ).toBe(200);
    expect(
      (await fetch(url(`/api/posts/${post.id}`), { headers: { ...v2, 'if-none-match': '"1"' } })).status,
    ).toBe(304);

    const first = await json('PATCH', `/api/posts/${post.id}`, { body: 'v2' }, { 'if-match': '"1"' });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"2.v1"');
    const stale = await json('PATCH', `/api/posts/${post.id}`, { body: 'v3' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(await stale.json()).toMatchObject({
      type: 'https://kwik.dev/problems/precondition-failed',
      status: 412,
    });
    const now = (await (await fetch(url(`/api/posts/${post.id}`))).json()) as PostBody;
    expect(now).toMatchObject({ body: 'v2', version: 2 });

    expect((await json('DELETE', `/api/posts/${post.id}`, undefined, { 'if-match': '"1"' })).status).toBe(
      412,
    );
    expect((await json('DELETE', `/api/posts/${post.id}`, undefined, { 'if-match': '"2"' })).status).toBe(
      204,
    );
  });

  it('writes in bulk, all or nothing', async () => {
    const target = (await (
      await json('POST', '/api/posts', { title: 'Bulk target', body: 'x' })
    ).json()) as PostBody;
    const doomed = (await (
      await json('POST', '/api/posts', { title: 'Bulk doomed', body: 'x' })
    ).json()) as PostBody;
    const before = await total();

    const bad = await json('POST', '/api/posts/bulk', {
      create: [
        { title: 'A', body: 'a' },
        { title: 'B', body: 'b' },
        { title: '', body: 'c' },
      ],
      delete: [doomed.id],
    });
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { errors: { field: string; index: number; op: string }[] };
    expect(problem.errors).toEqual([
      expect.objectContaining({ field: 'create[2].title', index: 2, op: 'create' }),
    ]);
    expect(await total()).toBe(before);

    const ok = await json('POST', '/api/posts/bulk', {
      create: [
        { title: 'A', body: 'a' },
        { title: 'B', body: 'b', status: 'published' },
      ],
      update: [{ id: target.id, title: 'Bulk updated' }],
      delete: [doomed.id],
    });
    expect(ok.status).toBe(200);
    const result = (await ok.json()) as { created: PostBody[]; updated: PostBody[]; deleted: string[] };
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
    // globex's posts: in the shared table, or in globex's own schema.
    const table = strategy === 'schema' ? `${quoteSchemaName(tenantSchemaName('globex'))}.posts` : 'posts';
    const [foreign] = (await demo.app
      .get(DataSource)
      .query(
        `SELECT p.id FROM ${table} p JOIN tenants t ON t.id = p."tenantId" WHERE t.slug = 'globex' LIMIT 1`,
      )) as {
      id: string;
    }[];
    expect((await fetch(url(`/api/posts/${foreign!.id}`))).status).toBe(404);
    expect((await json('PATCH', `/api/posts/${foreign!.id}`, { title: 'mine now' })).status).toBe(404);
    expect((await json('DELETE', `/api/posts/${foreign!.id}`)).status).toBe(404);
    expect((await json('POST', '/api/posts/bulk', { delete: [foreign!.id] })).status).toBe(400);
    expect((await fetch(url(`/api/posts/${foreign!.id}/comments`))).status).toBe(404);
  });

  it('lists and adds comments', async () => {
    const page = (await (await fetch(url('/api/posts?limit=1'))).json()) as { data: PostBody[] };
    const id = page.data[0]!.id;
    const before = (await (await fetch(url(`/api/posts/${id}/comments`))).json()) as { data: unknown[] };
    const added = await json('POST', `/api/posts/${id}/comments`, { body: 'Nice post' });
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({
      postId: id,
      body: 'Nice post',
      author: { email: 'admin@acme.test' },
    });
    const after = (await (await fetch(url(`/api/posts/${id}/comments`))).json()) as { data: unknown[] };
    expect(after.data).toHaveLength(before.data.length + 1);
    expect((await json('POST', `/api/posts/${id}/comments`, {})).status).toBe(400);
  });

  it('echoes the request id on success and error', async () => {
    const ok = await fetch(url('/api/posts?limit=1'), { headers: { 'x-request-id': 'demo-req-1' } });
    expect(ok.headers.get('x-request-id')).toBe('demo-req-1');
    const bad = await fetch(url('/api/nope'), { headers: { 'x-request-id': 'demo-req-2' } });
    expect(bad.status).toBe(404);
    expect(bad.headers.get('x-request-id')).toBe('demo-req-2');
  });
});
