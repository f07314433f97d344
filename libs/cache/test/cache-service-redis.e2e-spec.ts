import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CacheModuleOptions } from '../src/cache-options.interface.js';
import { RedisCacheStore } from '../src/drivers/redis-cache.store.js';
import { CacheStats } from '../src/engine/cache-stats.js';
import { CacheService, type CacheSpec } from '../src/engine/cache.service.js';
import { resolveCacheOptions } from '../src/engine/resolve-cache-options.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const uniquePrefix = (label: string) => `kwik:test:${label}:${randomUUID().slice(0, 8)}:`;

function spec(overrides: Partial<CacheSpec> = {}): CacheSpec {
  return { name: 'RatesService.find', key: 'rates:eur', tags: [], ttlMs: 60_000, swrMs: 0, ...overrides };
}

/** One app instance: its own connection to Redis and its own CacheService. */
function instance(url: string, keyPrefix: string, options: CacheModuleOptions = {}) {
  const resolved = resolveCacheOptions({ ...options, store: 'redis', redis: { url, keyPrefix } }, undefined);
  const store = new RedisCacheStore({ url, keyPrefix });
  const stats = new CacheStats();
  return { store, stats, service: new CacheService(resolved, store, stats) };
}

/** Polls `condition` every 25 ms for at most `timeoutMs`. */
async function eventually(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(25);
  }
}

describe('CacheService on one Redis shared by two instances', () => {
  const prefix = uniquePrefix('service');
  let a: ReturnType<typeof instance>;
  let b: ReturnType<typeof instance>;

  beforeAll(async () => {
    a = instance(REDIS_URL, prefix);
    b = instance(REDIS_URL, prefix);
    await Promise.all([a.store.ready(), b.store.ready()]);
  });
  afterAll(async () => {
    await a?.service.clear();
    await Promise.all([a?.service.onApplicationShutdown(), b?.service.onApplicationShutdown()]);
  });

  it('computes once in total for 100 concurrent callers spread over both instances', async () => {
    let computed = 0;
    const compute = async () => {
      computed++;
      await sleep(100);
      return { rate: 1.08, at: new Date('2024-05-01T00:00:00Z') };
    };
    const key = spec({ key: 'burst' });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).service.remember(key, compute)),
    );
    expect(computed).toBe(1);
    for (const result of results)
      expect(result).toEqual({ rate: 1.08, at: new Date('2024-05-01T00:00:00Z') });
    expect(await b.service.remember(key, compute)).toEqual(results[0]);
    expect(computed).toBe(1);
  });

  it('serves what one instance computed to the other, with Dates, Maps, BigInts and Buffers intact', async () => {
    const value = {
      at: new Date('2024-05-01T12:00:00Z'),
      byCurrency: new Map([['usd', 1.08]]),
      big: 2n ** 70n,
      raw: Buffer.from([0x00, 0xff, 0xc3, 0x28]),
    };
    await a.service.remember(spec({ key: 'rich' }), async () => value);
    const seen = await b.service.remember<typeof value>(spec({ key: 'rich' }), async () => {
      throw new Error('must not compute: the value is in Redis');
    });
    expect(seen).toEqual(value);
    expect(Buffer.from(seen.raw).equals(value.raw)).toBe(true);
  });

  it('an invalidation by tag or key on one instance applies on the other', async () => {
    const tagged = spec({ key: 'tagged', tags: ['rates'] });
    const keyed = spec({ key: 'keyed' });
    await a.service.remember(tagged, async () => 'tagged v1');
    await a.service.remember(keyed, async () => 'keyed v1');

    await b.service.invalidate({ tags: ['rates'], keys: ['keyed'] });
    expect(await a.service.remember(tagged, async () => 'tagged v2')).toBe('tagged v2');
    expect(await a.service.remember(keyed, async () => 'keyed v2')).toBe('keyed v2');
  });

  it('computes itself when the instance holding the lock never stores a value (lockTimeout)', async () => {
    const impatient = new CacheService(
      resolveCacheOptions(
        { store: 'redis', redis: { url: REDIS_URL, keyPrefix: prefix }, lockTimeout: '300ms' },
        undefined,
      ),
      a.store,
      new CacheStats(),
    );
    // Another instance took the lock, then crashed before storing.
    expect(await b.store.lock('orphan', 60_000)).toEqual(expect.any(String));
    const compute = vi.fn<() => Promise<string>>(async () => 'computed anyway');
    expect(await impatient.remember(spec({ key: 'orphan' }), compute)).toBe('computed anyway');
    expect(compute).toHaveBeenCalledTimes(1);
  });
});

describe('CacheService when Redis goes down and comes back', () => {
  const prefix = uniquePrefix('outage');
  let redis: PrivateRedis;
  let a: ReturnType<typeof instance>;
  let b: ReturnType<typeof instance>;
  const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  const log = vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  const messages = (spy: typeof warn, pattern: RegExp) =>
    spy.mock.calls.filter(([message]) => pattern.test(String(message)));

  beforeAll(async () => {
    redis = await startPrivateRedis();
    a = instance(redis.url, prefix, { unavailableLogInterval: '1h' });
    b = instance(redis.url, prefix, { unavailableLogInterval: '1h' });
    await Promise.all([a.store.ready(), b.store.ready()]);
  });
  afterEach(() => {
    warn.mockClear();
    log.mockClear();
  });
  afterAll(async () => {
    warn.mockRestore();
    log.mockRestore();
    await Promise.all([a?.service.onApplicationShutdown(), b?.service.onApplicationShutdown()]);
    await redis?.stop();
  });

  it('answers without the cache while Redis is down, logs it once, and caches again once it is back', async () => {
    const rates = spec({ key: 'rates', tags: ['fx'] });
    expect(await a.service.remember(rates, async () => 'before')).toBe('before');
    expect((await a.service.lookup('rates', ['fx'])).state).toBe('hit');

    await redis.stop();
    await eventually(() => !a.store.available, 2000);

    const started = Date.now();
    const lookups = await Promise.all(Array.from({ length: 20 }, () => a.service.lookup('rates', ['fx'])));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(lookups.every((l) => l.state === 'bypass')).toBe(true);

    let computed = 0;
    const compute = async () => `during ${++computed}`;
    expect(await a.service.remember(rates, compute)).toBe('during 1');
    expect(await a.service.remember(rates, compute)).toBe('during 2');
    expect(a.stats.of('RatesService.find').bypass).toBe(2);
    expect(messages(warn, /redis cache store is unavailable/)).toHaveLength(1);

    await redis.start();
    await eventually(() => a.store.available, 5000);
    expect(await a.service.remember(rates, compute)).toBe('during 3');
    expect(await a.service.remember(rates, compute)).toBe('during 3');
    expect(messages(log, /caching resumed/)).toHaveLength(1);
  });

  it('replays the invalidations made while Redis was down once it answers again', async () => {
    const feed = spec({ key: 'feed', tags: ['posts'] });
    await redis.stop();
    await eventually(() => !a.store.available && !b.store.available, 2000);

    const started = Date.now();
    await a.service.invalidate({ tags: ['posts'], keys: ['profile'] });
    expect(Date.now() - started).toBeLessThan(1000);

    await redis.start();
    await eventually(() => a.store.available && b.store.available, 5000);
    // Instance B, which knew nothing of the invalidation, stores entries after the restart.
    expect(await b.service.remember(feed, async () => 'feed from b')).toBe('feed from b');
    await b.service.remember(spec({ key: 'profile' }), async () => 'profile from b');
    expect((await b.service.lookup('feed', ['posts'])).state).toBe('hit');

    // A's next lookup replays its pending invalidation first: on both instances, B's entries are gone.
    expect((await a.service.lookup('feed', ['posts'])).state).toBe('miss');
    expect((await b.service.lookup('feed', ['posts'])).state).toBe('miss');
    expect((await b.service.lookup('profile', [])).state).toBe('miss');
    expect(await b.store.tagVersions(['posts'])).toEqual({ posts: 1 });

    // Replayed once: later lookups do not invalidate again.
    expect(await a.service.remember(feed, async () => 'feed from a')).toBe('feed from a');
    expect(await b.service.remember(feed, async () => 'other')).toBe('feed from a');
    expect(await b.store.tagVersions(['posts'])).toEqual({ posts: 1 });
  });
});
