import LinkHeader from 'http-link-header';
import { parseItem } from 'structured-headers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRATEGIES, startDemo, type DemoUnderTest } from './support.js';

const V2 = { accept: 'application/vnd.kwik.v2+json' };
type Post = Record<string, unknown> & { id: string };

/** The description of the shaped list's `fields` parameter in an OpenAPI document. */
const fields = (doc: any): string =>
  doc.paths['/api/posts'].get.parameters.find((p: { name: string }) => p.name === 'fields').description;

describe.each(STRATEGIES)('demo: posts v1 and v2 from one v2 controller (%s tenancy)', (strategy) => {
  let demo: DemoUnderTest;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await demo.fetch(`${demo.baseUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { res, json: res.status === 204 || res.status === 304 ? undefined : ((await res.json()) as any) };
  };

  beforeAll(async () => {
    demo = await startDemo(strategy);
  });
  afterAll(async () => {
    await demo?.close();
  });

  it('serves v1 by default: `body`, no `excerpt`, deprecated with Sunset and links', async () => {
    const { res, json } = await call('GET', '/api/posts?limit=3');
    expect(res.status).toBe(200);
    expect(res.headers.get('api-version')).toBe('1');
    for (const post of json.data as Post[]) {
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
    const { res, json } = await call('GET', '/api/posts?limit=3', undefined, V2);
    expect(res.headers.get('api-version')).toBe('2');
    expect(res.headers.get('content-type')).toBe('application/vnd.kwik.v2+json; charset=utf-8');
    expect(res.headers.get('deprecation')).toBeNull();
    for (const post of json.data as Post[]) {
      expect(post).not.toHaveProperty('body');
      expect(post.excerpt).toBe((post.content as string).slice(0, 160));
    }
  });

  it('renames `fields`, `sort` and `filter` parameters of v1 lists, and its next links keep v1 names', async () => {
    const { res, json } = await call('GET', '/api/posts?limit=2&fields=id,body&sort=-publishedAt');
    expect(res.status).toBe(200);
    expect(Object.keys(json.data[0]).sort()).toEqual(['body', 'id']);
    const next = LinkHeader.parse(res.headers.get('link')!).rel('next')[0]!.uri;
    expect(new URL(next, demo.baseUrl).searchParams.get('fields')).toBe('id,body');
    const page2 = await call('GET', next);
    expect(page2.res.status).toBe(200);
    expect(Object.keys(page2.json.data[0]).sort()).toEqual(['body', 'id']);
    const v2 = await call('GET', '/api/posts?limit=2&fields=id,content,excerpt', undefined, V2);
    expect(Object.keys(v2.json.data[0]).sort()).toEqual(['content', 'excerpt', 'id']);
  });

  it('writes through v1 with `body` and through v2 with `content`, the same row', async () => {
    const v1 = await call('POST', '/api/posts', { title: 'Versioned', body: 'Written by a v1 client.' });
    expect(v1.res.status).toBe(201);
    expect(v1.json).toMatchObject({ title: 'Versioned', body: 'Written by a v1 client.' });
    expect(v1.json).not.toHaveProperty('excerpt');
    const asV2 = await call('GET', `/api/posts/${v1.json.id}`, undefined, V2);
    expect(asV2.json).toMatchObject({
      content: 'Written by a v1 client.',
      excerpt: 'Written by a v1 client.',
    });
    const patched = await call(
      'PATCH',
      `/api/posts/${v1.json.id}`,
      { content: 'Now from v2.' },
      { ...V2, 'if-match': asV2.res.headers.get('etag')! },
    );
    expect(patched.res.status).toBe(200);
    expect(patched.json).toMatchObject({ content: 'Now from v2.', version: 2 });
    const asV1 = await call('GET', `/api/posts/${v1.json.id}`);
    expect(asV1.json).toMatchObject({ body: 'Now from v2.', version: 2 });
    // Each version's representation has its own ETag; preconditions work with either.
    const v1Tag = asV1.res.headers.get('etag')!;
    const v2Tag = (await call('GET', `/api/posts/${v1.json.id}`, undefined, V2)).res.headers.get('etag')!;
    expect(v1Tag).toBe('"2.v1"');
    expect(v2Tag).toBe('"2"');
    expect(
      (await call('GET', `/api/posts/${v1.json.id}`, undefined, { 'if-none-match': v1Tag })).res.status,
    ).toBe(304);
    const viaV1 = await call(
      'PATCH',
      `/api/posts/${v1.json.id}`,
      { body: 'Back through v1.' },
      { 'if-match': v1Tag },
    );
    expect(viaV1.res.status).toBe(200);
    expect(viaV1.json).toMatchObject({ body: 'Back through v1.', version: 3 });
    expect(viaV1.res.headers.get('etag')).toBe('"3.v1"');
    const stale = await call('PATCH', `/api/posts/${v1.json.id}`, { body: 'Stale.' }, { 'if-match': v1Tag });
    expect(stale.res.status).toBe(412);
  });

  it('refuses v2 names in a v1 request with a 400 naming the parameter', async () => {
    const list = await call('GET', '/api/posts?fields=id,content');
    expect(list.res.status).toBe(400);
    expect(list.json.errors).toEqual([
      { field: 'fields', message: '"content" is not a field of version 1: in version 1 it is called "body"' },
    ]);
    const excerpt = await call('GET', '/api/posts?fields=id,excerpt');
    expect(excerpt.json.errors[0].message).toBe(
      '"excerpt" is not a field of version 1: it exists from version 2 on',
    );
    const write = await call('POST', '/api/posts', { title: 'x', content: 'v2 name' });
    expect(write.res.status).toBe(400);
    expect(write.json.errors[0].field).toBe('content');
    // Authentication is answered first: an anonymous caller hears 401, not the version problem.
    const anonymous = await fetch(`${demo.baseUrl}/api/posts?fields=id,content`, {
      headers: { 'x-tenant-id': 'acme' },
    });
    expect(anonymous.status).toBe(401);
  });

  it('names v1 fields in the data library’s own query problems', async () => {
    const { res, json } = await call('GET', '/api/posts?fields=nope');
    expect(res.status).toBe(400);
    const message = json.errors[0].message as string;
    expect(message).toMatch(/selectable fields: .*\bbody\b/);
    expect(message).not.toMatch(/content|excerpt/);
  });

  it('serves the migration guide the deprecation link points to', async () => {
    const res = await fetch(`${demo.baseUrl}/docs/migrations/v2`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toMatch(/application\/vnd\.kwik\.v2\+json/);
  });

  it('names v1 fields in validation problems, bulk items included', async () => {
    const single = await call('POST', '/api/posts', { title: 'x', body: 5 });
    expect(single.res.status).toBe(400);
    expect(single.json.errors.map((e: { field: string }) => e.field)).toContain('body');
    const bulk = await call('POST', '/api/posts/bulk', {
      create: [
        { title: 'ok', body: 'fine' },
        { title: 'bad', body: 7 },
      ],
    });
    expect(bulk.res.status).toBe(400);
    expect(bulk.json.errors.map((e: { field: string }) => e.field)).toContain('create[1].body');
  });

  it('caches v1 and v2 pages apart', async () => {
    const path = '/api/posts?limit=4&sort=-createdAt';
    await call('GET', path);
    await call('GET', path, undefined, V2);
    const v1 = await call('GET', path);
    const v2 = await call('GET', path, undefined, V2);
    expect(v1.res.headers.get('x-cache')).toBe('HIT');
    expect(v2.res.headers.get('x-cache')).toBe('HIT');
    expect(v1.json.data[0]).toHaveProperty('body');
    expect(v2.json.data[0]).toHaveProperty('content');
    expect(v2.res.headers.get('content-type')).toMatch(/^application\/vnd\.kwik\.v2\+json/);
  });

  it('refuses an unknown version with a 406 problem', async () => {
    const { res, json } = await call('GET', '/api/posts', undefined, {
      accept: 'application/vnd.kwik.v3+json',
    });
    expect(res.status).toBe(406);
    expect(json.supportedVersions).toEqual(['1', '2']);
  });

  it('documents v1 and v2 apart', async () => {
    const v1 = (await (await fetch(`${demo.baseUrl}/docs/v1/json`)).json()) as any;
    const v2 = (await (await fetch(`${demo.baseUrl}/docs/v2/json`)).json()) as any;
    expect(Object.keys(v1.components.schemas.CreatePostDto.properties)).toContain('body');
    expect(Object.keys(v2.components.schemas.CreatePostDto.properties)).toContain('content');
    expect(v1.paths['/api/posts'].get.deprecated).toBe(true);
    expect(v2.paths['/api/posts'].get.deprecated).toBeUndefined();
    expect(fields(v1)).toMatch(/\bbody\b/);
    expect(fields(v1)).not.toMatch(/excerpt|content/);
    expect(fields(v2)).toMatch(/content, excerpt/);
  });
});
