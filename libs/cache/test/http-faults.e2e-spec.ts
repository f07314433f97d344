import compress from '@fastify/compress';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKwikApp } from '@kwik/core';
import { CacheError } from '@kwik/cache';
import { bootCacheApp, REDIS_URL, uniqueKeyPrefix, type CacheApp } from './fixtures/boot.js';
import { postCacheModule, twinControllersModule, unsafeCacheModule } from './fixtures/unsafe-apps.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';

interface Body {
  n: number;
  rows?: unknown[];
}
const json = async (res: Response | Promise<Response>): Promise<Body> => (await (await res).json()) as Body;

describe('boot checks', () => {
  it.each([
    [
      'an authenticated route cached without vary user/tenant or shared',
      unsafeCacheModule,
      'KWIK_CACHE_UNSAFE_SHARED_ROUTE',
    ],
    ['@Cache() on a POST route', postCacheModule, 'KWIK_CACHE_INVALID_OPTIONS'],
    [
      'cached routes of two controllers with the same name',
      twinControllersModule,
      'KWIK_CACHE_INVALID_OPTIONS',
    ],
  ])('refuses %s', async (_what, module, code) => {
    const boot = createKwikApp(module(), { handleSignals: false, nest: { logger: false } });
    await expect(boot).rejects.toBeInstanceOf(CacheError);
    await expect(boot).rejects.toMatchObject({ code });
  });

  it('explains how to fix an unsafe route', async () => {
    await expect(
      createKwikApp(unsafeCacheModule(), { handleSignals: false, nest: { logger: false } }),
    ).rejects.toThrow(/UnsafeController\.secret.*vary: \['user'\].*shared: true/s);
  });
});

describe('compressed responses', () => {
  let app: CacheApp;
  beforeAll(async () => {
    app = await bootCacheApp({ store: 'memory' }, (fastify) =>
      fastify.register(compress, { threshold: 256 }),
    );
  });
  afterAll(() => app?.close());

  it('replays with the Content-Encoding the client asked for, and the same bytes once decoded', async () => {
    const gzip = { 'accept-encoding': 'gzip' };
    const first = await app.get('/items/big', gzip);
    const firstBytes = Buffer.from(await first.arrayBuffer());
    const hit = await app.get('/items/big', gzip);
    const hitBytes = Buffer.from(await hit.arrayBuffer());
    expect(first.headers.get('content-encoding')).toBe('gzip');
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(hit.headers.get('content-encoding')).toBe('gzip');
    expect(hit.headers.get('content-type')).toBe(first.headers.get('content-type'));
    // fetch decodes gzip itself: compare the decoded bodies, and check gzip round trip on raw bytes
    expect(hitBytes.equals(firstBytes)).toBe(true);
    const identity = await app.get('/items/big', { 'accept-encoding': 'identity' });
    expect(identity.headers.get('content-encoding')).toBeNull();
    expect(identity.headers.get('x-cache')).toBe('HIT');
    expect(Buffer.from(await identity.arrayBuffer()).equals(firstBytes)).toBe(true);
    expect(app.calls.of('big')).toBe(1);
  });

  it('sends real gzip bytes on a hit', async () => {
    const { request } = await import('node:http');
    const raw = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
      const req = request(`${app.baseUrl}/items/big`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }),
        );
      });
      req.on('error', reject);
      req.end();
    });
    expect(raw.encoding).toBe('gzip');
    const decoded = JSON.parse(gunzipSync(raw.body).toString('utf8')) as Body;
    expect(decoded.rows).toHaveLength(200);
  });
});

describe('two instances sharing Redis', () => {
  let a: CacheApp;
  let b: CacheApp;
  beforeAll(async () => {
    const options = { store: 'redis' as const, redis: { url: REDIS_URL, keyPrefix: uniqueKeyPrefix('two') } };
    a = await bootCacheApp(options);
    b = await bootCacheApp(options);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it("serves one instance's entry from the other, and a tag evicted on one is gone on both", async () => {
    const headers = { 'x-test-user': 'u', 'x-test-tenant': 'acme' };
    const stored = await json(a.get('/items/tenant', headers));
    const fromB = await b.get('/items/tenant', headers);
    expect(fromB.headers.get('x-cache')).toBe('HIT');
    expect((await json(fromB)).n).toBe(stored.n);
    expect((await b.request('/items', { method: 'PATCH', headers })).status).toBe(200);
    const onA = await a.get('/items/tenant', headers);
    expect(onA.headers.get('x-cache')).toBe('MISS');
  });

  it('runs the handler once across both instances for 100 concurrent misses', async () => {
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).get('/items/slow')),
    );
    const bodies = await Promise.all(responses.map((r) => json(r)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(new Set(bodies.map((body) => body.n)).size).toBe(1);
    expect(a.calls.of('slow') + b.calls.of('slow')).toBe(1);
  });
});

describe('Redis killed and restarted mid-test', () => {
  let redis: PrivateRedis;
  let app: CacheApp;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    app = await bootCacheApp({
      store: 'redis',
      redis: { url: redis.url, keyPrefix: uniqueKeyPrefix('outage') },
      unavailableLogInterval: '1s',
    });
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  it('keeps answering with X-Cache: BYPASS while Redis is down, and caches again when it is back', async () => {
    await app.get('/items/public');
    expect((await app.get('/items/public')).headers.get('x-cache')).toBe('HIT');
    await redis.stop();
    const started = Date.now();
    for (let i = 0; i < 5; i++) {
      const res = await app.get('/items/public');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-cache')).toBe('BYPASS');
    }
    expect(Date.now() - started).toBeLessThan(5000);
    const evict = await app.request('/items', { method: 'PATCH', headers: { 'x-test-user': 'u' } });
    expect(evict.status).toBe(200);
    await redis.start();
    let state: string | null = null;
    for (let i = 0; i < 100 && state !== 'HIT'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      state = (await app.get('/items/public')).headers.get('x-cache');
    }
    expect(state).toBe('HIT');
  });
});
