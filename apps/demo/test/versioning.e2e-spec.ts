import LinkHeader from 'http-link-header';
import { parseItem } from 'structured-headers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from '@kwik/testing';
import { DEMO_USERS, STRATEGIES, startDemo, type DemoUnderTest } from './support.js';

const V2 = { accept: 'application/vnd.kwik.v2+json' };
type Post = Record<string, unknown> & { id: string };

/** The description of the shaped list's `fields` parameter in an OpenAPI document. */
const fields = (doc: any): string =>
  doc.paths['/api/posts'].get.parameters.find((p: { name: string }) => p.name === 'fields').description;

describe.each(STRATEGIES)('demo: posts v1 and v2 from one v2 controller (%s tenancy)', (strategy) => {
  let demo: DemoUnderTest;
  /** admin@acme.test in acme; `{ headers: V2 }` asks for version 2. */
  let api: TestClient;

  beforeAll(async () => {
    // Every JSON response is checked against the demo's OpenAPI document of its api-version.
    demo = await startDemo(strategy, { client: { validateResponses: true } });
    api = demo.client.asTenant('acme').as(DEMO_USERS.acme.admin);
  });
  afterAll(async () => {
    await demo?.close();
  });

  it('serves v1 by default: `body`, no `excerpt`, deprecated with Sunset and links', async () => {
    const res = (await api.get('/api/posts?limit=3')).expectStatus(200);
    expect(res.headers.get('api-version')).toBe('1');
    for (const post of res.body.data as Post[]) {
      expect(typeof post.body).toBe('string');
      expect(post).not.toHaveProperty('content');
      expect(post).not.toHaveProperty('excerpt');
    }
    expect(parseItem(res.headers.get('deprecation')!)[0]).toEqual(new Date('2026-12-01T00:00:00Z'));
    expect(res.headers.get('sunset')).toBe('Wed, 30 Jun 2027 00:00:00 GMT');
    const links = LinkHeader.parse(res.headers.get('link')!);
    expect(links.rel('deprecation')[0]!.uri).toBe('/docs/migrations/v2');
    expect(links.rel('successor-version')[0]!.uri).toBe('/docs?urls.primaryName=v2');
    expect(links.rel('next')).toHaveLength(1);
  });

  it('serves v2 on `Accept: application/vnd.kwik.v2+json`: `content` and `excerpt`, not deprecated', async () => {
    const res = await api.get('/api/posts?limit=3', { headers: V2 });
    expect(res.headers.get('api-version')).toBe('2');
    expect(res.headers.get('content-type')).toBe('application/vnd.kwik.v2+json; charset=utf-8');
    expect(res.headers.get('deprecation')).toBeNull();
    for (const post of res.body.data as Post[]) {
      expect(post).not.toHaveProperty('body');
      expect(post.excerpt).toBe((post.content as string).slice(0, 160));
    }
  });

  it('renames `fields`, `sort` and `filter` parameters of v1 lists, and its next links keep v1 names', async () => {
    const res = (await api.get('/api/posts?limit=2&fields=id,body&sort=-publishedAt')).expectStatus(200);
    expect(Object.keys(res.body.data[0]).sort()).toEqual(['body', 'id']);
    const next = LinkHeader.parse(res.headers.get('link')!).rel('next')[0]!.uri;
    expect(new URL(next, demo.baseUrl).searchParams.get('fields')).toBe('id,body');
    const page2 = (await api.get(next)).expectStatus(200);
    expect(Object.keys(page2.body.data[0]).sort()).toEqual(['body', 'id']);
    const v2 = await api.get('/api/posts?limit=2&fields=id,content,excerpt', { headers: V2 });
    expect(Object.keys(v2.body.data[0]).sort()).toEqual(['content', 'excerpt', 'id']);
  });

  it('writes through v1 with `body` and through v2 with `content`, the same row', async () => {
    const v1 = (
      await api.post('/api/posts', { title: 'Versioned', body: 'Written by a v1 client.' })
    ).expectStatus(201);
    expect(v1.body).toMatchObject({ title: 'Versioned', body: 'Written by a v1 client.' });
    expect(v1.body).not.toHaveProperty('excerpt');
    const path = `/api/posts/${v1.body.id}`;
    const asV2 = await api.get(path, { headers: V2 });
    expect(asV2.body).toMatchObject({
      content: 'Written by a v1 client.',
      excerpt: 'Written by a v1 client.',
    });
    const patched = (
      await api.patch(
        path,
        { content: 'Now from v2.' },
        { headers: { ...V2, 'if-match': asV2.headers.get('etag')! } },
      )
    ).expectStatus(200);
    expect(patched.body).toMatchObject({ content: 'Now from v2.', version: 2 });
    const asV1 = await api.get(path);
    expect(asV1.body).toMatchObject({ body: 'Now from v2.', version: 2 });
    // Each version's representation has its own ETag; preconditions work with either.
    const v1Tag = asV1.headers.get('etag')!;
    const v2Tag = (await api.get(path, { headers: V2 })).headers.get('etag')!;
    expect(v1Tag).toBe('"2.v1"');
    expect(v2Tag).toBe('"2"');
    (await api.get(path, { headers: { 'if-none-match': v1Tag } })).expectStatus(304);
    const viaV1 = (
      await api.patch(path, { body: 'Back through v1.' }, { headers: { 'if-match': v1Tag } })
    ).expectStatus(200);
    expect(viaV1.body).toMatchObject({ body: 'Back through v1.', version: 3 });
    expect(viaV1.headers.get('etag')).toBe('"3.v1"');
    (await api.patch(path, { body: 'Stale.' }, { headers: { 'if-match': v1Tag } })).expectProblem(412);
  });

  it('refuses v2 names in a v1 request with a 400 naming the parameter', async () => {
    const list = (await api.get('/api/posts?fields=id,content')).expectProblem(400, 'fields');
    expect(list.errors).toEqual([
      { field: 'fields', message: '"content" is not a field of version 1: in version 1 it is called "body"' },
    ]);
    const excerpt = (await api.get('/api/posts?fields=id,excerpt')).expectProblem(400);
    expect(excerpt.errors![0]!.message).toBe(
      '"excerpt" is not a field of version 1: it exists from version 2 on',
    );
    const write = (await api.post('/api/posts', { title: 'x', content: 'v2 name' })).expectProblem(400);
    expect(write.errors![0]!.field).toBe('content');
    // Authentication is answered first: an anonymous caller hears 401, not the version problem.
    (await demo.client.asTenant('acme').get('/api/posts?fields=id,content')).expectProblem(401);
  });

  it('names v1 fields in the data library’s own query problems', async () => {
    const problem = (await api.get('/api/posts?fields=nope')).expectProblem(400);
    const message = problem.errors![0]!.message;
    expect(message).toMatch(/selectable fields: .*\bbody\b/);
    expect(message).not.toMatch(/content|excerpt/);
  });

  it('serves the migration guide the deprecation link points to', async () => {
    // An HTML page, anonymous: the client hands back its text.
    const res = (await demo.client.get('/docs/migrations/v2')).expectStatus(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text).toMatch(/application\/vnd\.kwik\.v2\+json/);
  });

  it('names v1 fields in validation problems, bulk items included', async () => {
    const single = (await api.post('/api/posts', { title: 'x', body: 5 })).expectProblem(400, 'body');
    expect(single.errors!.map((e) => e.field)).toContain('body');
    const bulk = (
      await api.post('/api/posts/bulk', {
        create: [
          { title: 'ok', body: 'fine' },
          { title: 'bad', body: 7 },
        ],
      })
    ).expectProblem(400, 'create[1].body');
    expect(bulk.errors!.map((e) => e.field)).toContain('create[1].body');
  });

  it('caches v1 and v2 pages apart', async () => {
    const path = '/api/posts?limit=4&sort=-createdAt';
    await api.get(path);
    await api.get(path, { headers: V2 });
    const v1 = await api.get(path);
    const v2 = await api.get(path, { headers: V2 });
    expect(v1.headers.get('x-cache')).toBe('HIT');
    expect(v2.headers.get('x-cache')).toBe('HIT');
    expect(v1.body.data[0]).toHaveProperty('body');
    expect(v2.body.data[0]).toHaveProperty('content');
    expect(v2.headers.get('content-type')).toMatch(/^application\/vnd\.kwik\.v2\+json/);
  });

  it('refuses an unknown version with a 406 problem', async () => {
    const problem = (
      await api.get('/api/posts', { headers: { accept: 'application/vnd.kwik.v3+json' } })
    ).expectProblem(406);
    expect(problem.supportedVersions).toEqual(['1', '2']);
  });

  it('documents v1 and v2 apart', async () => {
    const v1 = (await demo.client.get('/docs/v1/json')).expectStatus(200).body;
    const v2 = (await demo.client.get('/docs/v2/json')).expectStatus(200).body;
    expect(Object.keys(v1.components.schemas.CreatePostDto.properties)).toContain('body');
    expect(Object.keys(v2.components.schemas.CreatePostDto.properties)).toContain('content');
    expect(v1.paths['/api/posts'].get.deprecated).toBe(true);
    expect(v2.paths['/api/posts'].get.deprecated).toBeUndefined();
    expect(fields(v1)).toMatch(/\bbody\b/);
    expect(fields(v1)).not.toMatch(/excerpt|content/);
    expect(fields(v2)).toMatch(/content, excerpt/);
  });
});
