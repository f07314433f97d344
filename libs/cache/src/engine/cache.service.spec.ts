import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CacheError } from '../cache.errors.js';
import type { CacheModuleOptions } from '../cache-options.interface.js';
import { normalizeCacheOptions } from '../decorators/normalize-cache-options.js';
import { MemoryCacheStore } from '../drivers/memory-cache.store.js';
import { CacheStats } from './cache-stats.js';
import { CacheService, type CacheSpec } from './cache.service.js';
import { resolveCacheOptions } from './resolve-cache-options.js';

function createService(options: CacheModuleOptions = {}) {
  const resolved = resolveCacheOptions(options, undefined);
  const store = new MemoryCacheStore({ maxEntries: resolved.maxEntries, maxBytes: resolved.maxBytes });
  const stats = new CacheStats();
  return { service: new CacheService(resolved, store, stats), store, stats };
}

function spec(overrides: Partial<CacheSpec> = {}): CacheSpec {
  return { name: 'PostsService.find', key: 'posts:1', tags: [], ttlMs: 60_000, swrMs: 0, ...overrides };
}

const itemsOfA = async () => ({ items: ['a'] });

/** A compute function that counts its calls and returns `{ n: <call number> }` after `delayMs`. */
function counter(delayMs = 0) {
  const calls = { count: 0 };
  const compute = vi.fn<() => Promise<{ n: number }>>(async () => {
    const n = ++calls.count;
    if (delayMs) await sleep(delayMs);
    return { n };
  });
  return { calls, compute };
}

describe('CacheService over the memory store', () => {
  let current: ReturnType<typeof createService> | undefined;
  const open = (options?: CacheModuleOptions) => (current = createService(options));
  afterEach(async () => {
    await current?.service.onApplicationShutdown();
    current = undefined;
  });

  describe('remember()', () => {
    it('computes on the first call, then serves the stored value', async () => {
      const { service, stats } = open();
      const { compute } = counter();
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await service.remember(spec(), compute));
      expect(compute).toHaveBeenCalledTimes(1);
      expect(results).toEqual([{ n: 1 }, { n: 1 }, { n: 1 }]);
      expect(stats.of('PostsService.find')).toEqual({ hits: 2, misses: 1, stale: 0, bypass: 0 });
    });

    it('gives each caller its own copy: mutating a result does not change the cache', async () => {
      const { service } = open();
      const compute = itemsOfA;
      const first = await service.remember(spec(), compute);
      first.items.push('mutated');
      const second = await service.remember(spec(), compute);
      second.items.push('again');
      expect(await service.remember(spec(), compute)).toEqual({ items: ['a'] });
    });

    it('keeps keys apart', async () => {
      const { service } = open();
      const a = await service.remember(spec({ key: 'a' }), async () => 'A');
      const b = await service.remember(spec({ key: 'b' }), async () => 'B');
      expect([a, b]).toEqual(['A', 'B']);
      expect(await service.remember(spec({ key: 'a' }), async () => 'other')).toBe('A');
    });

    it('computes once for 100 concurrent callers of one key, and all get the same value', async () => {
      const { service, stats } = open();
      const { compute } = counter(20);
      const results = await Promise.all(Array.from({ length: 100 }, () => service.remember(spec(), compute)));
      expect(compute).toHaveBeenCalledTimes(1);
      expect(new Set(results.map((r) => JSON.stringify(r)))).toEqual(new Set(['{"n":1}']));
      expect(await service.remember(spec(), compute)).toEqual({ n: 1 });
      expect(stats.of('PostsService.find')).toMatchObject({ misses: 100, hits: 1 });
    });

    it('computes again once the TTL has passed', async () => {
      const { service } = open();
      const { compute } = counter();
      const short = spec({ ttlMs: normalizeCacheOptions({ ttl: { milliseconds: 40 } }).ttlMs! });
      expect(await service.remember(short, compute)).toEqual({ n: 1 });
      await sleep(80);
      expect(await service.remember(short, compute)).toEqual({ n: 2 });
    });

    it('passes the error of a failed computation to every waiting caller and stores nothing', async () => {
      const { service } = open();
      let calls = 0;
      const failing = async () => {
        calls++;
        await sleep(10);
        throw new Error('database down');
      };
      const settled = await Promise.allSettled(
        Array.from({ length: 5 }, () => service.remember(spec(), failing)),
      );
      expect(
        settled.every((s) => s.status === 'rejected' && (s.reason as Error).message === 'database down'),
      ).toBe(true);
      expect(calls).toBe(1);
      // The key is neither cached nor locked: the next call computes at once.
      expect(await service.remember(spec(), async () => 'recovered')).toBe('recovered');
    });

    it.each<[string, () => unknown]>([
      ['a function', () => () => 1],
      ['a symbol', () => Symbol('post')],
      ['an object holding a function', () => ({ id: 1, load: () => 2 })],
    ])('refuses %s with KWIK_CACHE_UNSERIALIZABLE at the first call, every call', async (_label, make) => {
      const { service, store } = open();
      for (let i = 0; i < 2; i++) {
        const error = await service.remember(spec(), async () => make()).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CacheError);
        expect((error as CacheError).code).toBe('KWIK_CACHE_UNSERIALIZABLE');
        expect((error as CacheError).message).toContain('PostsService.find');
      }
      expect(store.size).toBe(0);
      expect(await service.remember(spec(), async () => 'plain data')).toBe('plain data');
    });
  });

  describe('stale-while-revalidate', () => {
    const policy = normalizeCacheOptions({ ttl: { milliseconds: 50 }, staleWhileRevalidate: '5s' });
    const swr = () => spec({ ttlMs: policy.ttlMs!, swrMs: policy.swrMs });

    it('after the TTL, serves the stale value at once and stores the refreshed one in the background', async () => {
      const { service, stats } = open();
      expect(await service.remember(swr(), async () => 'v1')).toBe('v1');
      await sleep(80);

      let refreshDone = false;
      const slowRefresh = vi.fn<() => Promise<string>>(async () => {
        await sleep(100);
        refreshDone = true;
        return 'v2';
      });
      expect(await service.remember(swr(), slowRefresh)).toBe('v1');
      expect(refreshDone).toBe(false);
      expect(stats.of('PostsService.find').stale).toBe(1);

      // Concurrent stale readers do not start a second refresh.
      expect(await service.remember(swr(), slowRefresh)).toBe('v1');

      await vi.waitFor(async () => expect((await service.lookup(swr().key, [])).state).toBe('hit'), {
        timeout: 3000,
        interval: 20,
      });
      expect(await service.remember(swr(), async () => 'never')).toBe('v2');
      expect(slowRefresh).toHaveBeenCalledTimes(1);
    });

    it('a failed background refresh keeps serving the stale value', async () => {
      const { service } = open({ unavailableLogInterval: '1h' });
      await service.remember(swr(), async () => 'v1');
      await sleep(80);
      const failing = vi.fn<() => Promise<string>>(async () => {
        throw new Error('upstream down');
      });
      expect(await service.remember(swr(), failing)).toBe('v1');
      await vi.waitFor(() => expect(failing).toHaveBeenCalledTimes(1), { timeout: 3000, interval: 10 });
      await sleep(20);
      expect(await service.remember(swr(), async () => 'v2')).toBe('v1');
    });

    it('after TTL + staleWhileRevalidate, the value is computed before answering', async () => {
      const { service } = open();
      const short = spec({ ttlMs: 30, swrMs: 30 });
      await service.remember(short, async () => 'v1');
      await sleep(100);
      expect(await service.remember(short, async () => 'v2')).toBe('v2');
    });
  });

  describe('invalidate()', () => {
    it('drops the entries of a tag, and only those', async () => {
      const { service } = open();
      const posts = spec({ key: 'posts', tags: ['posts'] });
      const users = spec({ key: 'users', tags: ['users'] });
      await service.remember(posts, async () => 'posts v1');
      await service.remember(users, async () => 'users v1');

      await service.invalidate({ tags: ['posts'] });
      expect(await service.remember(posts, async () => 'posts v2')).toBe('posts v2');
      expect(await service.remember(users, async () => 'users v2')).toBe('users v1');
    });

    it('drops entries by key', async () => {
      const { service } = open();
      await service.remember(spec({ key: 'a' }), async () => 'a1');
      await service.remember(spec({ key: 'b' }), async () => 'b1');
      await service.invalidate({ keys: ['a'] });
      expect(await service.remember(spec({ key: 'a' }), async () => 'a2')).toBe('a2');
      expect(await service.remember(spec({ key: 'b' }), async () => 'b2')).toBe('b1');
    });

    it('a value computed before an invalidation is not served after it, even if stored later', async () => {
      const { service } = open();
      const tagged = spec({ tags: ['posts'] });
      const slow = service.remember(tagged, async () => {
        await sleep(50);
        return 'computed before the write';
      });
      await sleep(10);
      await service.invalidate({ tags: ['posts'] });
      expect(await slow).toBe('computed before the write');
      expect(await service.remember(tagged, async () => 'fresh')).toBe('fresh');
    });

    it('ignores an empty invalidation', async () => {
      const { service } = open();
      await service.remember(spec(), async () => 'kept');
      await service.invalidate({});
      expect(await service.remember(spec(), async () => 'other')).toBe('kept');
    });

    it('clear() drops everything', async () => {
      const { service } = open();
      await service.remember(spec({ key: 'a' }), async () => 'a1');
      await service.clear();
      expect(await service.remember(spec({ key: 'a' }), async () => 'a2')).toBe('a2');
    });
  });

  describe('stats', () => {
    it('counts hits, misses and stale answers per name, with totals', async () => {
      const { service, stats } = open();
      await service.remember(spec({ name: 'A' }), async () => 1);
      await service.remember(spec({ name: 'A' }), async () => 1);
      await service.remember(spec({ name: 'B', key: 'b', ttlMs: 20, swrMs: 5000 }), async () => 2);
      await sleep(50);
      await service.remember(spec({ name: 'B', key: 'b', ttlMs: 20, swrMs: 5000 }), async () => 3);
      expect(stats.snapshot()).toEqual({
        total: { hits: 1, misses: 2, stale: 1, bypass: 0 },
        byName: {
          A: { hits: 1, misses: 1, stale: 0, bypass: 0 },
          B: { hits: 0, misses: 1, stale: 1, bypass: 0 },
        },
      });
      expect(stats.of('never looked up')).toEqual({ hits: 0, misses: 0, stale: 0, bypass: 0 });
    });
  });

  describe('enabled: false', () => {
    it('computes on every call, stores nothing and counts bypasses', async () => {
      const { service, store, stats } = open({ enabled: false });
      const { compute } = counter();
      expect(await service.remember(spec(), compute)).toEqual({ n: 1 });
      expect(await service.remember(spec(), compute)).toEqual({ n: 2 });
      expect(store.size).toBe(0);
      expect(stats.of('PostsService.find')).toEqual({ hits: 0, misses: 0, stale: 0, bypass: 2 });
      expect((await service.lookup('posts:1', [])).state).toBe('bypass');
    });

    it('still runs invalidations', async () => {
      const { service, store } = open({ enabled: false });
      await service.invalidate({ tags: ['posts'] });
      expect(await store.tagVersions(['posts'])).toEqual({ posts: 1 });
    });
  });
});
