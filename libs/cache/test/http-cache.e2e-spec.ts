import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINARY, UNICODE } from './fixtures/cache-app.js';
import { bootCacheApp, REDIS_URL, uniqueKeyPrefix, type CacheApp } from './fixtures/boot.js';

/** What the fixture routes answer. */
interface Body {
  n: number;
  user?: string;
  tenant?: string;
  detail?: string;
}

const json = async (res: Response | Promise<Response>): Promise<Body> => (await (await res).json()) as Body;

const STORES = [
  { name: 'memory', options: { store: 'memory' as const } },
  {
    name: 'redis',
    options: { store: 'redis' as const, redis: { url: REDIS_URL, keyPrefix: uniqueKeyPrefix('http') } },
  },
];

describe.each(STORES)('HTTP caching on the $name store', ({ options }) => {
  let app: CacheApp;
  beforeAll(async () => {
    app = await bootCacheApp(options);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers the second GET from the cache with the same status, headers and body', async () => {
    const first = await app.get('/items/public');
    const firstBody = await first.text();
    const second = await app.get('/items/public');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache')).toBe('MISS');
    expect(second.status).toBe(200);
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(await second.text()).toBe(firstBody);
    expect(second.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(second.headers.get('cache-control')).toBe('public, max-age=60');
    expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    expect(app.calls.of('public')).toBe(1);
  });

  it('answers If-None-Match with 304 from the cache', async () => {
    const { headers } = await app.get('/items/public');
    const etag = headers.get('etag')!;
    const res = await app.get('/items/public', { 'if-none-match': etag });
    expect(res.status).toBe(304);
    expect(await res.text()).toBe('');
    expect(res.headers.get('etag')).toBe(etag);
  });

  it('replays UTF-8 multibyte text with its charset, byte for byte', async () => {
    await app.get('/items/unicode');
    const res = await app.get('/items/unicode');
    expect(res.headers.get('x-cache')).toBe('HIT');
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(UNICODE, 'utf8'))).toBe(true);
    expect(app.calls.of('unicode')).toBe(1);
  });

  it('replays binary bodies byte for byte', async () => {
    await app.get('/items/binary');
    const res = await app.get('/items/binary');
    expect(res.headers.get('x-cache')).toBe('HIT');
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await res.arrayBuffer()).equals(BINARY)).toBe(true);
    expect(app.calls.of('binary')).toBe(1);
  });

  it('answers HEAD from the GET entry without a body', async () => {
    await app.get('/items/public');
    const res = await app.request('/items/public', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-cache')).toBe('HIT');
    expect(await res.text()).toBe('');
  });

  it('never stores non-2xx responses or responses that set a cookie', async () => {
    for (let i = 0; i < 3; i++) {
      const missing = await app.get('/items/missing/7');
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toContain('application/problem+json');
      const cookie = await app.get('/items/cookie');
      expect(cookie.headers.get('set-cookie')).toContain('session=abc');
      expect(cookie.headers.get('x-cache')).toBe('MISS');
    }
    expect(app.calls.of('missing')).toBe(3);
    expect(app.calls.of('cookie')).toBe(3);
  });

  it('keeps one entry per user: two users never see each other', async () => {
    const alice = await json(app.get('/items/me', { 'x-test-user': 'alice' }));
    const bob = await json(app.get('/items/me', { 'x-test-user': 'bob' }));
    const alice2 = await app.get('/items/me', { 'x-test-user': 'alice' });
    const bob2 = await app.get('/items/me', { 'x-test-user': 'bob' });
    expect(alice.user).toBe('alice');
    expect(bob.user).toBe('bob');
    expect(alice2.headers.get('x-cache')).toBe('HIT');
    expect(await json(alice2)).toEqual(alice);
    expect(await json(bob2)).toEqual(bob);
  });

  it('runs the guards on a hit: anonymous gets 401/403 problems, not the cached body', async () => {
    await app.get('/items/me', { 'x-test-user': 'carol' });
    const anonymous = await app.get('/items/me');
    expect(anonymous.status).toBe(403);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    const denied = await app.get('/items/me', { 'x-test-user': 'carol', 'x-test-deny': '1' });
    expect(denied.status).toBe(403);
    expect((await json(denied)).detail).toContain('denied by the test guard');
  });

  it('keeps tenants apart and evicts by tag', async () => {
    const a = await json(app.get('/items/tenant', { 'x-test-user': 'u1', 'x-test-tenant': 'acme' }));
    const b = await json(app.get('/items/tenant', { 'x-test-user': 'u1', 'x-test-tenant': 'globex' }));
    expect(a.tenant).toBe('acme');
    expect(b.tenant).toBe('globex');
    const again = await app.get('/items/tenant', { 'x-test-user': 'u2', 'x-test-tenant': 'acme' });
    expect(again.headers.get('x-cache')).toBe('HIT');
    expect((await json(again)).tenant).toBe('acme');
    const evict = await app.request('/items', { method: 'PATCH', headers: { 'x-test-user': 'u1' } });
    expect(evict.status).toBe(200);
    const after = await app.get('/items/tenant', { 'x-test-user': 'u2', 'x-test-tenant': 'acme' });
    expect(after.headers.get('x-cache')).toBe('MISS');
    expect((await json(after)).n).toBeGreaterThan(a.n);
  });

  it('runs the handler once for 100 concurrent misses of one key', async () => {
    const responses = await Promise.all(Array.from({ length: 100 }, () => app.get('/items/slow')));
    const bodies = await Promise.all(responses.map((r) => json(r)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(new Set(bodies.map((b) => b.n))).toEqual(new Set([1]));
    expect(app.calls.of('slow')).toBe(1);
    expect(responses.filter((r) => r.headers.get('x-cache') === 'MISS')).toHaveLength(1);
  });

  it('serves a stale entry while one background request refreshes it', async () => {
    const first = await json(app.get('/items/swr'));
    await new Promise((r) => setTimeout(r, 400));
    const stale = await app.get('/items/swr');
    expect(stale.headers.get('x-cache')).toBe('STALE');
    expect((await json(stale)).n).toBe(first.n);
    let refreshed: { n: number } | undefined;
    for (let i = 0; i < 50 && !refreshed; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const res = await app.get('/items/swr');
      if (res.headers.get('x-cache') === 'HIT') refreshed = await json(res);
    }
    expect(refreshed?.n).toBe(first.n + 1);
  });

  it('varies on a declared header and says so in Vary', async () => {
    const en = await app.get('/items/lang', { 'accept-language': 'en' });
    const fr = await app.get('/items/lang', { 'accept-language': 'fr' });
    expect(en.headers.get('vary')).toContain('accept-language');
    expect((await json(fr)).n).not.toBe((await json(en)).n);
    expect((await app.get('/items/lang', { 'accept-language': 'fr' })).headers.get('x-cache')).toBe('HIT');
  });
});
