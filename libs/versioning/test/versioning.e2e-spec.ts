import LinkHeader from 'http-link-header';
import { parseItem } from 'structured-headers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VersionUsage } from '@kwik/versioning';
import { bootVersionedApp, type VersionedApp } from './fixtures/versioned-app.js';

const V2 = { accept: 'application/vnd.kwik.v2+json' };
const V3 = { accept: 'application/vnd.kwik.v3+json' };
const json = async (res: Response): Promise<any> => res.json();

/** Every JSON path where two documents differ. */
function diffPaths(a: unknown, b: unknown, path = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return [path];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) => diffPaths((a as any)[k], (b as any)[k], `${path}/${k}`));
}

describe('media-type versions (the default)', () => {
  let app: VersionedApp;
  beforeAll(async () => {
    app = await bootVersionedApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('serves the default version (1) through both changes, nested objects included', async () => {
    const res = await app.get('/items/x');
    expect(res.status).toBe(200);
    expect(res.headers.get('api-version')).toBe('1');
    expect(res.headers.get('vary')).toMatch(/accept/i);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await json(res)).toEqual({
      id: 'x',
      body: 'Hello versions',
      author: { name: 'Ada' },
      legacy: false,
    });
  });

  it('leaves If-None-Match alone on a route no version changes: its one ETag revalidates in every version', async () => {
    const v1 = await app.get('/items/tagged/x');
    expect(v1.headers.get('etag')).toBe('"7"');
    expect((await app.get('/items/tagged/x', { 'if-none-match': '"7"' })).status).toBe(304);
    expect((await app.get('/items/tagged/x', { ...V2, 'if-none-match': '"7"' })).status).toBe(304);
    expect((await app.get('/items/tagged/x', { 'if-none-match': '"6"' })).status).toBe(200);
  });

  it('serves v2 and v3 when asked with the vendor media type, echoing it in Content-Type', async () => {
    const v2 = await app.get('/items/x', V2);
    expect(v2.headers.get('content-type')).toBe('application/vnd.kwik.v2+json; charset=utf-8');
    expect(v2.headers.get('api-version')).toBe('2');
    expect(await json(v2)).toEqual({
      id: 'x',
      content: 'Hello versions',
      excerpt: 'Hello',
      author: { displayName: 'Ada' },
      legacy: false,
    });
    const v3 = await app.get('/items/x', V3);
    expect(v3.headers.get('content-type')).toBe('application/vnd.kwik.v3+json; charset=utf-8');
    expect(await json(v3)).toEqual({
      id: 'x',
      text: 'Hello versions',
      excerpt: 'Hello',
      author: { displayName: 'Ada' },
    });
  });

  it.each([
    ['*/*', '1'],
    ['application/json', '1'],
    ['application/json; v=2', '2'],
    ['text/html, application/vnd.kwik.v3+json;q=0.8', '3'],
  ])('Accept: %s → version %s', async (accept, version) => {
    expect((await app.get('/items/x', { accept })).headers.get('api-version')).toBe(version);
  });

  it('migrates an old request body up before validation, and the response back down', async () => {
    const res = await app.post('/items', { body: 'From v1', author: { name: 'Grace' }, legacy: true });
    expect(res.status).toBe(201);
    expect(await json(res)).toEqual({ id: 'new', body: 'From v1', author: { name: 'Grace' }, legacy: false });
    const v2 = await app.post('/items', { content: 'From v2', author: { displayName: 'Lin' } }, V2);
    expect(await json(v2)).toEqual({
      id: 'new',
      content: 'From v2',
      author: { displayName: 'Lin' },
      excerpt: 'From ',
      legacy: false,
    });
  });

  it('names the old field in validation problems', async () => {
    const res = await app.post('/items', { body: 42, author: { name: 7 } });
    expect(res.status).toBe(400);
    const problem = await json(res);
    expect(problem.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'author.name',
      'author.name',
      'body',
      'body',
    ]);
    expect(problem.detail).toBe('2 invalid fields: body, author.name');
    expect(JSON.stringify(problem.errors)).not.toMatch(/text|displayName/);
    const v3 = await json(await app.post('/items', { text: 42 }, V3));
    expect(v3.errors.map((e: { field: string }) => e.field)).toContain('text');
  });

  it('renames shaped-list parameters up and list items down', async () => {
    const res = await app.get('/items?fields=id,body&sort=-body');
    const page = await json(res);
    expect(page.meta).toEqual({ limit: 2, fields: 'id,text', sort: '-text', params: ['fields', 'sort'] });
    expect(page.data.map((i: { body?: string; text?: string }) => [i.body, i.text])).toEqual([
      ['Hello versions', undefined],
      ['Hello versions', undefined],
    ]);
  });

  it.each([
    [
      'a list parameter',
      () => app.get('/items?fields=id,text'),
      'fields',
      '"text" is not a field of version 1: in version 1 it is called "body"',
    ],
    [
      'a filter',
      () => app.get('/items?filter[author.displayName]=Ada'),
      'filter[author.displayName]',
      '"author.displayName" is not a field of version 1: in version 1 it is called "author.name"',
    ],
    [
      'a field added later',
      () => app.get('/items?sort=-excerpt'),
      'sort',
      '"excerpt" is not a field of version 1: it exists from version 2 on',
    ],
    [
      'a body field',
      () => app.post('/items', { text: 'new name, old version' }),
      'text',
      '"text" is not a field of version 1: in version 1 it is called "body"',
    ],
  ])('refuses %s naming a later version’s field with a 400', async (_name, send, field, message) => {
    const res = await send();
    expect(res.status).toBe(400);
    expect((await json(res)).errors).toEqual([{ field, message }]);
  });

  it.each([
    [
      'an unsupported version',
      'application/vnd.kwik.v9+json',
      /"9" is not supported; supported versions: 1, 2, 3/,
    ],
    ['an unknown vendor', 'application/vnd.acme.v2+json', /vendor "acme" is unknown/],
    ['a malformed Accept', 'json please', /malformed/],
  ])('answers %s with a 406 problem listing the versions', async (_name, accept, detail) => {
    const res = await app.get('/items/x', { accept });
    expect(res.status).toBe(406);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = await json(res);
    expect(problem).toMatchObject({
      type: 'https://kwik.dev/problems/unsupported-api-version',
      status: 406,
      title: 'Not Acceptable',
      instance: '/items/x',
      supportedVersions: ['1', '2', '3'],
      supportedMediaTypes: [
        'application/vnd.kwik.v1+json',
        'application/vnd.kwik.v2+json',
        'application/vnd.kwik.v3+json',
      ],
    });
    expect(problem.detail).toMatch(detail);
    expect(problem.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('leaves excluded paths alone (health, docs)', async () => {
    const res = await app.get('/health/live', { accept: 'application/vnd.kwik.v9+json' });
    expect(res.status).toBe(200);
    expect(res.headers.get('api-version')).toBeNull();
    const docs = await app.get('/docs/v1/json');
    expect(docs.headers.get('deprecation')).toBeNull();
    expect(docs.headers.get('api-version')).toBeNull();
  });

  it('echoes the vendor type only to clients that asked with it', async () => {
    const res = await app.get('/items/x', { accept: 'application/json; v=2' });
    expect(res.headers.get('api-version')).toBe('2');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('sends RFC 9745 Deprecation, RFC 8594 Sunset and Link rels on a deprecated version', async () => {
    const res = await app.get('/items/x');
    const deprecation = parseItem(res.headers.get('deprecation')!);
    expect(deprecation[0]).toEqual(new Date('2026-12-01T00:00:00Z'));
    const sunset = res.headers.get('sunset')!;
    expect(new Date(sunset).toISOString()).toBe('2027-06-30T00:00:00.000Z');
    expect(sunset).toBe(new Date(sunset).toUTCString());
    const links = LinkHeader.parse(res.headers.get('link')!);
    expect(links.rel('deprecation')[0]).toMatchObject({ uri: '/docs/migrations/v2', type: 'text/html' });
    expect(links.rel('successor-version')[0]!.uri).toBe('/docs?urls.primaryName=v2');
    const v2 = await app.get('/items/x', V2);
    expect(v2.headers.get('deprecation')).toBeNull();
    expect(v2.headers.get('sunset')).toBeNull();
  });

  it('sends a route’s own deprecation in any version and counts its use', async () => {
    const usage = app.app.get(VersionUsage);
    const before = usage.snapshot().deprecatedRoutes['GET /items/legacy-feed'] ?? 0;
    const res = await app.get('/items/legacy-feed', V3);
    expect(res.status).toBe(200);
    expect(parseItem(res.headers.get('deprecation')!)[0]).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(res.headers.get('sunset')).toBe('Fri, 01 Jan 2027 00:00:00 GMT');
    const links = LinkHeader.parse(res.headers.get('link')!);
    expect(links.rel('deprecation')[0]!.uri).toBe('https://example.com/feed-migration');
    expect(links.rel('successor-version')).toEqual([]);
    expect(usage.snapshot().deprecatedRoutes['GET /items/legacy-feed']).toBe(before + 1);
  });

  it('routes declared for one version exist only there', async () => {
    expect((await app.get('/items/only-v3/feed', V3)).status).toBe(200);
    expect((await app.get('/items/only-v3/feed', V2)).status).toBe(404);
    expect((await app.get('/items/only-v3/feed')).status).toBe(404);
  });

  it('counts requests per version, and the refused ones', async () => {
    const usage = app.app.get(VersionUsage);
    const before = usage.snapshot();
    await app.get('/items/x', V2);
    await app.get('/items/x', { accept: 'application/vnd.kwik.v7+json' });
    const after = usage.snapshot();
    expect(after.versions['2']).toBe((before.versions['2'] ?? 0) + 1);
    expect(after.refused).toBe(before.refused + 1);
  });

  describe('OpenAPI per version', () => {
    let docs: Record<string, any>;
    beforeAll(async () => {
      docs = {};
      for (const v of ['1', '2', '3']) docs[v] = await json(await app.get(`/docs/v${v}/json`));
    });

    it('serves one document per version', async () => {
      for (const v of ['1', '2', '3']) expect((await app.get(`/docs/v${v}/json`)).status).toBe(200);
      expect(Object.keys(docs).map((v) => docs[v].info.version)).toEqual(['1', '2', '3']);
    });

    it('documents each version’s own shapes, derived from the changes', () => {
      const props = (v: string, schema: string) => Object.keys(docs[v].components.schemas[schema].properties);
      expect(props('3', 'CreateItemDto')).toEqual(['text', 'author', 'tags']);
      expect(props('2', 'CreateItemDto')).toEqual(['content', 'author', 'tags', 'legacy']);
      expect(props('1', 'CreateItemDto')).toEqual(['body', 'author', 'tags', 'legacy']);
      expect(props('3', 'ItemView')).toEqual(['id', 'text', 'excerpt', 'author']);
      expect(props('1', 'ItemView')).toEqual(['id', 'body', 'author', 'legacy']);
      expect(props('1', 'AuthorDto')).toEqual(['name']);
      expect(props('2', 'AuthorDto')).toEqual(['displayName']);
      expect(docs['1'].components.schemas.CreateItemDto.required).toEqual(['body']);
      expect(docs['1'].info).toMatchObject({ version: '1', title: 'Versioned — version 1' });
      expect(docs['1'].info.description).toMatch(/Deprecated\.\*\* Sunset: 2027-06-30/);
    });

    it('keeps routes of several versions in each document and version-only routes in theirs (no collapsing)', () => {
      for (const v of ['1', '2', '3']) expect(Object.keys(docs[v].paths)).toContain('/items/{id}');
      expect(Object.keys(docs['3'].paths)).toContain('/items/only-v3/feed');
      expect(Object.keys(docs['2'].paths)).not.toContain('/items/only-v3/feed');
      expect(docs['1'].paths['/items/{id}'].get.deprecated).toBe(true);
      expect(docs['3'].paths['/items/{id}'].get.deprecated).toBeUndefined();
      expect(docs['3'].paths['/items/legacy-feed'].get.deprecated).toBe(true);
    });

    it('differs between two versions exactly where the versions differ', () => {
      const schema = '/components/schemas';
      expect(diffPaths(docs['2'], docs['3']).sort()).toEqual(
        [
          '/info/title',
          '/info/version',
          '/info/description',
          '/paths//items/only-v3/feed',
          '/paths//items/get/description',
          '/paths//items/post/description',
          '/paths//items/{id}/get/description',
          `${schema}/CreateItemDto/properties/content`,
          `${schema}/CreateItemDto/properties/text`,
          `${schema}/CreateItemDto/properties/legacy`,
          `${schema}/CreateItemDto/required/0`,
          `${schema}/ItemView/properties/content`,
          `${schema}/ItemView/properties/text`,
          `${schema}/ItemView/properties/legacy`,
          `${schema}/ItemView/required/1`,
        ].sort(),
      );
    });
  });
});

describe.each([
  {
    type: 'header' as const,
    v2: { headers: { 'x-api-version': '2' } },
    bad: { headers: { 'x-api-version': '9' } },
    vary: 'x-api-version',
  },
  { type: 'query' as const, v2: { query: 'version=2' }, bad: { query: 'version=9' }, vary: null },
  { type: 'uri' as const, v2: { prefix: '/v2' }, bad: { prefix: '/v9' }, vary: null },
])('$type versions', ({ type, v2, bad, vary }) => {
  let app: VersionedApp;
  const url = (path: string, how: { query?: string; prefix?: string }) =>
    `${how.prefix ?? (type === 'uri' ? '/v1' : '')}${path}${how.query ? `?${how.query}` : ''}`;
  beforeAll(async () => {
    app = await bootVersionedApp({ type });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('serves the named version through the changes', async () => {
    const res = await app.get(url('/items/x', v2), (v2 as { headers?: Record<string, string> }).headers);
    expect(res.status).toBe(200);
    expect(res.headers.get('api-version')).toBe('2');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('vary') ?? '').toMatch(new RegExp(vary ?? '', 'i'));
    expect(await json(res)).toMatchObject({ content: 'Hello versions', author: { displayName: 'Ada' } });
  });

  it('keeps readiness at /health/ready', async () => {
    expect((await app.get('/health/ready')).status).toBe(200);
  });

  it('serves the default version when none is named', async () => {
    const res = await app.get(url('/items/x', {}));
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ body: 'Hello versions', legacy: false });
  });

  it('refuses an unsupported version with 406', async () => {
    const res = await app.get(url('/items/x', bad), (bad as { headers?: Record<string, string> }).headers);
    expect(res.status).toBe(406);
    expect((await json(res)).supportedVersions).toEqual(['1', '2', '3']);
  });

  it('serves a one-version route only in its version', async () => {
    const v3 = type === 'uri' ? { prefix: '/v3' } : type === 'query' ? { query: 'version=3' } : {};
    const headers: Record<string, string> = type === 'header' ? { 'x-api-version': '3' } : {};
    expect((await app.get(url('/items/only-v3/feed', v3), headers)).status).toBe(200);
    expect((await app.get(url('/items/only-v3/feed', {}))).status).toBe(404);
  });

  it('documents each version apart', async () => {
    const doc2 = await json(await app.get('/docs/v2/json'));
    const paths = Object.keys(doc2.paths);
    expect(paths).toContain(type === 'uri' ? '/v2/items/{id}' : '/items/{id}');
    expect(paths.filter((p) => /^\/v[13]\//.test(p))).toEqual([]);
    expect(Object.keys(doc2.components.schemas.CreateItemDto.properties)).toContain('content');
  });
});

describe('query versions: the parameter', () => {
  let app: VersionedApp;
  beforeAll(async () => {
    app = await bootVersionedApp({ type: 'query' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('stays out of the route’s own query parameters', async () => {
    const page = await json(await app.get('/items?version=2&fields=id,content'));
    expect(page.meta.params).toEqual(['fields']);
    expect(page.meta.fields).toBe('id,text');
  });
});

describe('misconfiguration', () => {
  it('fails at boot on a @Deprecated() with a bad date, naming the route', async () => {
    const { Controller, Get, Module } = await import('@nestjs/common');
    const { createKwikApp, KwikModule } = await import('@kwik/core');
    const { Deprecated, VersioningModule } = await import('@kwik/versioning');
    @Controller('old')
    class OldController {
      @Get()
      @Deprecated({ sunset: 'soon' })
      list(): unknown {
        return [];
      }
    }
    @Module({
      imports: [KwikModule.forRoot({ docs: false }), VersioningModule.forRoot({ versions: ['1', '2'] })],
      controllers: [OldController],
    })
    class BadModule {}
    await expect(createKwikApp(BadModule, { handleSignals: false, nest: { logger: false } })).rejects.toThrow(
      /KWIK_VERSIONING_INVALID_OPTIONS.*@Deprecated\(\) on OldController\.list: sunset "soon" is not an ISO 8601 date/,
    );
  });
});
