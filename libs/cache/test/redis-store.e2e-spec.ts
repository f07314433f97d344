import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from '@keyv/redis';
import { Logger } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RedisCacheStore } from '../src/drivers/redis-cache.store.js';
import { tagsCurrent, type CacheEntry } from '../src/store/cache-entry.js';
import { CacheStoreUnavailable } from '../src/store/cache-store.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const MINUTE = 60_000;

const uniquePrefix = (label: string) => `kwik:test:${label}:${randomUUID().slice(0, 8)}:`;

function entry(value: unknown, tags: Record<string, number> = {}): CacheEntry {
  const now = Date.now();
  return { value, freshUntil: now + MINUTE, staleUntil: now + 2 * MINUTE, tags };
}

/** How long `promise` took to settle, and its rejection (if any). */
async function timedRejection(promise: Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = Date.now();
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { ms: Date.now() - started, error };
}

/** Polls `condition` every 25 ms for at most `timeoutMs`. */
async function eventually(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(25);
  }
}

describe('RedisCacheStore against a real Redis', () => {
  const prefix = uniquePrefix('store');
  // Two stores over one Redis, as two app instances would have.
  let a: RedisCacheStore;
  let b: RedisCacheStore;
  let raw: ReturnType<typeof createClient>;

  beforeAll(async () => {
    a = new RedisCacheStore({ url: REDIS_URL, keyPrefix: prefix });
    b = new RedisCacheStore({ url: REDIS_URL, keyPrefix: prefix });
    raw = createClient({ url: REDIS_URL });
    await Promise.all([a.ready(), b.ready(), raw.connect()]);
  });
  afterAll(async () => {
    await a?.clear();
    await Promise.all([a?.close(), b?.close(), raw?.close()]);
  });

  it('is available once connected, and reports its kind', () => {
    expect(a.available).toBe(true);
    expect(a.kind).toBe('redis');
  });

  it('reads back what either instance wrote, and nothing for an unknown key', async () => {
    const written = entry({ title: 'Hello', n: 1.5, none: null, list: [1, 'two'] }, { posts: 3 });
    await a.write('posts:1', written, MINUTE);
    expect((await b.read('posts:1', [])).entry).toEqual(written);
    expect((await b.read('posts:missing', [])).entry).toBeUndefined();
  });

  it('keeps its keys under the prefix, with the TTL set in Redis itself', async () => {
    await a.write('ttl-check', entry('x'), 30_000);
    // values sit under the adapter's namespace: `<prefix without its last colon>::v:<key>`
    const pttl = await raw.pTTL(`${prefix.replace(/:+$/, '')}::v:ttl-check`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(30_000);
  });

  it('forgets an entry once its TTL has passed', async () => {
    await a.write('short', entry('soon gone'), 100);
    await a.write('long', entry('stays'), MINUTE);
    await sleep(250);
    expect((await b.read('short', [])).entry).toBeUndefined();
    expect((await b.read('long', [])).entry?.value).toBe('stays');
  });

  it('deletes entries by key for every instance', async () => {
    await Promise.all(['d1', 'd2', 'd3'].map((k) => a.write(k, entry(k), MINUTE)));
    await b.delete(['d1', 'd3', 'missing']);
    await b.delete([]);
    const read = await Promise.all(['d1', 'd2', 'd3'].map(async (k) => (await a.read(k, [])).entry?.value));
    expect(read).toEqual([undefined, 'd2', undefined]);
  });

  const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  it.each<[string, Buffer]>([
    ['every byte value 0x00-0xff', allBytes],
    ['zero bytes only', Buffer.alloc(64)],
    ['invalid UTF-8', Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xff, 0xfe])],
    ['an empty buffer', Buffer.alloc(0)],
    ['text that looks like the serializer escape', Buffer.from(':base64:AAAA')],
    ['1 MiB of random bytes', randomBytes(1024 * 1024)],
  ])('returns a Buffer of %s byte-exact', async (_label, bytes) => {
    await a.write('bytes', entry(bytes), MINUTE);
    const back = (await b.read('bytes', [])).entry?.value;
    expect(Buffer.isBuffer(back)).toBe(true);
    expect((back as Buffer).equals(bytes)).toBe(true);
  });

  it('returns Buffers and look-alike strings nested in a record unchanged', async () => {
    const record = {
      status: 200,
      headers: { 'content-type': 'application/octet-stream', 'x-note': ':base64:not-bytes', 'x-colon': ':a' },
      body: Buffer.from([0x00, 0xff, 0x00]),
    };
    await a.write('record', entry(record), MINUTE);
    const back = (await b.read('record', [])).entry?.value as typeof record;
    expect(back.headers).toEqual(record.headers);
    expect(back.body.equals(record.body)).toBe(true);
  });

  it('an invalidation on one instance is seen by the other', async () => {
    const tags = ['inv:posts', 'inv:users'];
    const versions = await a.tagVersions(tags);
    expect(versions).toEqual({ 'inv:posts': 0, 'inv:users': 0 });
    await a.write('feed', entry('v1', { ...versions }), MINUTE);

    await b.invalidateTags(['inv:posts']);
    const seen = await a.read('feed', tags);
    expect(seen.versions).toEqual({ 'inv:posts': 1, 'inv:users': 0 });
    expect(tagsCurrent(seen.entry!, seen.versions)).toBe(false);
  });

  it('serves a tagged entry from its near copy only while Redis still has it, at the current versions', async () => {
    const tags = ['near:posts'];
    const versions = await a.tagVersions(tags);
    await a.write('near-feed', entry('v1', { ...versions }), MINUTE);
    expect((await a.read('near-feed', tags)).entry?.value).toBe('v1'); // near copy on a
    await b.write('near-feed', entry('v2', { ...versions }), MINUTE);
    await b.delete(['near-feed']); // deleted by key on the other instance
    expect((await a.read('near-feed', tags)).entry).toBeUndefined();

    await b.write('near-feed', entry('v3', { ...versions }), MINUTE);
    expect((await a.read('near-feed', tags)).entry?.value).toBe('v3');
    await b.invalidateTags(tags); // invalidated by tag on the other instance
    const seen = await a.read('near-feed', tags);
    expect(tagsCurrent(seen.entry!, seen.versions)).toBe(false);
  });

  it('counts concurrent invalidations from both instances exactly', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).invalidateTags(['race'])));
    expect(await b.tagVersions(['race'])).toEqual({ race: 50 });
  });

  it('a lock taken by one instance is refused to the other until released with its token', async () => {
    const token = await a.lock('report', MINUTE);
    expect(token).toEqual(expect.any(String));
    expect(await b.lock('report', MINUTE)).toBeUndefined();

    await b.unlock('report', 'not-the-token');
    expect(await b.lock('report', MINUTE)).toBeUndefined();

    await a.unlock('report', token!);
    const next = await b.lock('report', MINUTE);
    expect(next).toEqual(expect.any(String));
    await b.unlock('report', next!);
  });

  it('lets a lock go by itself after its TTL; the late holder cannot release the new one', async () => {
    const first = await a.lock('expiring', 100);
    expect(await b.lock('expiring', MINUTE)).toBeUndefined();
    await sleep(250);
    const second = await b.lock('expiring', MINUTE);
    expect(second).toEqual(expect.any(String));
    await a.unlock('expiring', first!);
    expect(await a.lock('expiring', MINUTE)).toBeUndefined();
    await b.unlock('expiring', second!);
  });

  it.each([
    ['a plain prefix', ''],
    ['a prefix with glob characters', '*?['],
  ])('clear() drops entries, tags and locks under %s, and nothing of another prefix', async (_l, glob) => {
    const mine = new RedisCacheStore({ url: REDIS_URL, keyPrefix: `${uniquePrefix('clear')}${glob}` });
    const neighbour = new RedisCacheStore({ url: REDIS_URL, keyPrefix: `${uniquePrefix('clear')}x` });
    try {
      await Promise.all([mine.ready(), neighbour.ready()]);
      for (const store of [mine, neighbour]) {
        await store.write('k', entry('v'), MINUTE);
        await store.invalidateTags(['t']);
        await store.lock('k', MINUTE);
      }
      await mine.clear();
      expect((await mine.read('k', ['t'])).entry).toBeUndefined();
      expect(await mine.tagVersions(['t'])).toEqual({ t: 0 });
      expect(await mine.lock('k', MINUTE)).toEqual(expect.any(String));

      expect((await neighbour.read('k', ['t'])).entry?.value).toBe('v');
      expect(await neighbour.tagVersions(['t'])).toEqual({ t: 1 });
      expect(await neighbour.lock('k', MINUTE)).toBeUndefined();
    } finally {
      await Promise.all([mine.clear(), neighbour.clear()]);
      await Promise.all([mine.close(), neighbour.close()]);
    }
  });
});

describe('RedisCacheStore when Redis goes down and comes back', () => {
  const prefix = uniquePrefix('outage');
  let redis: PrivateRedis;
  let store: RedisCacheStore;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    store = new RedisCacheStore({ url: redis.url, keyPrefix: prefix });
    await store.ready();
  });
  afterAll(async () => {
    await store?.close();
    await redis?.stop();
  });

  it('fails every command promptly with CacheStoreUnavailable while down, then works again', async () => {
    await store.write('k', entry('before'), MINUTE);
    await redis.stop();
    await eventually(() => !store.available, 2000);

    for (const call of [
      () => store.read('k', ['t']),
      () => store.tagVersions(['t']),
      () => store.write('k', entry('during'), MINUTE),
      () => store.delete(['k']),
      () => store.invalidateTags(['t']),
      () => store.lock('k', MINUTE),
      () => store.clear(),
    ]) {
      const { ms, error } = await timedRejection(call());
      expect(error).toBeInstanceOf(CacheStoreUnavailable);
      expect(ms).toBeLessThan(1000);
    }
    // Releasing a lock while down is a no-op: the lock expires by itself.
    await expect(store.unlock('k', 'token')).resolves.toBeUndefined();

    await redis.start();
    await eventually(() => store.available, 5000);
    // The private server keeps nothing across a restart; the store works on the new one.
    expect((await store.read('k', [])).entry).toBeUndefined();
    await store.write('k', entry('after'), MINUTE);
    expect((await store.read('k', [])).entry?.value).toBe('after');
  });

  it('boots while Redis is down (ready() settles, one warning), and connects once it is up', async () => {
    await redis.stop();
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const late = new RedisCacheStore({ url: redis.url, keyPrefix: uniquePrefix('late') });
    try {
      await late.ready();
      expect(late.available).toBe(false);
      expect(warn.mock.calls.filter(([m]) => /first connection failed/.test(String(m)))).toHaveLength(1);
      const { ms, error } = await timedRejection(late.read('k', []));
      expect(error).toBeInstanceOf(CacheStoreUnavailable);
      expect(ms).toBeLessThan(1000);

      await redis.start();
      await eventually(() => late.available, 5000);
      await late.write('k', entry('v'), MINUTE);
      expect((await late.read('k', [])).entry?.value).toBe('v');
    } finally {
      warn.mockRestore();
      await late.close();
    }
  });

  it('close() may be called twice, and on a store that never connected', async () => {
    const twice = new RedisCacheStore({ url: redis.url, keyPrefix: uniquePrefix('close') });
    await twice.ready();
    await twice.close();
    await expect(twice.close()).resolves.toBeUndefined();

    await redis.stop();
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const never = new RedisCacheStore({ url: redis.url, keyPrefix: uniquePrefix('close') });
      await never.ready();
      await never.close();
      await expect(never.close()).resolves.toBeUndefined();
    } finally {
      warn.mockRestore();
      await redis.start();
    }
  });
});
