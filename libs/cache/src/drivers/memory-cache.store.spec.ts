import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { CacheEntry } from '../store/cache-entry.js';
import { tagsCurrent } from '../store/cache-entry.js';
import { MemoryCacheStore } from './memory-cache.store.js';

const MINUTE = 60_000;

function entry(value: unknown, tags: Record<string, number> = {}): CacheEntry {
  const now = Date.now();
  return { value, freshUntil: now + MINUTE, staleUntil: now + MINUTE, tags };
}

describe('MemoryCacheStore', () => {
  let store: MemoryCacheStore;
  const open = (maxEntries = 1000, maxBytes = 1024 * 1024): MemoryCacheStore =>
    (store = new MemoryCacheStore({ maxEntries, maxBytes }));
  afterEach(() => store?.close());

  it('is always available and reports its kind', () => {
    open();
    expect(store.available).toBe(true);
    expect(store.kind).toBe('memory');
  });

  it('reads back what was written, and nothing for an unknown key', async () => {
    open();
    const written = entry({ title: 'Hello' }, { posts: 0 });
    await store.write('posts:1', written, MINUTE);
    expect((await store.read('posts:1', [])).entry).toEqual(written);
    expect((await store.read('posts:2', [])).entry).toBeUndefined();
  });

  it('exposes the same entries through its cache-manager instance', async () => {
    open();
    await store.write('posts:1', entry('a'), MINUTE);
    expect(await store.cacheManager.get<CacheEntry>('posts:1')).toMatchObject({ value: 'a' });
  });

  it('deletes entries by key (unknown keys are ignored)', async () => {
    open();
    await Promise.all(['a', 'b', 'c'].map((k) => store.write(k, entry(k), MINUTE)));
    await store.delete(['a', 'c', 'missing']);
    await store.delete([]);
    const read = await Promise.all(['a', 'b', 'c'].map(async (k) => (await store.read(k, [])).entry?.value));
    expect(read).toEqual([undefined, 'b', undefined]);
  });

  it('forgets an entry once its TTL has passed', async () => {
    open();
    await store.write('short', entry('soon gone'), 30);
    await store.write('long', entry('stays'), MINUTE);
    await sleep(80);
    expect((await store.read('short', [])).entry).toBeUndefined();
    expect((await store.read('long', [])).entry?.value).toBe('stays');
  });

  it('invalidating a tag bumps its version: entries computed under the old version are no longer current', async () => {
    open();
    const before = await store.tagVersions(['posts', 'users']);
    expect(before).toEqual({ posts: 0, users: 0 });
    await store.write('feed', entry('v1', { ...before }), MINUTE);

    await store.invalidateTags(['posts']);
    const { entry: stored, versions } = await store.read('feed', ['posts', 'users']);
    expect(versions).toEqual({ posts: 1, users: 0 });
    expect(tagsCurrent(stored!, versions)).toBe(false);

    await store.write('feed', entry('v2', { ...versions }), MINUTE);
    const again = await store.read('feed', ['posts', 'users']);
    expect(tagsCurrent(again.entry!, again.versions)).toBe(true);
  });

  it('leaves entries of other tags current', async () => {
    open();
    await store.write('users', entry('u', { users: 0 }), MINUTE);
    await store.invalidateTags(['posts']);
    const { entry: stored, versions } = await store.read('users', ['users']);
    expect(tagsCurrent(stored!, versions)).toBe(true);
  });

  it('keeps at most maxEntries, dropping the least recently used', async () => {
    open(3);
    for (const k of ['a', 'b', 'c']) await store.write(k, entry(k), MINUTE);
    await store.read('a', []); // 'a' is now more recent than 'b'
    await store.write('d', entry('d'), MINUTE);
    expect(store.size).toBe(3);
    expect((await store.read('b', [])).entry).toBeUndefined();
    for (const k of ['a', 'c', 'd']) expect((await store.read(k, [])).entry?.value).toBe(k);
  });

  it('keeps at most maxBytes: big Buffers push older entries out', async () => {
    open(1000, 10_000);
    await store.write('small', entry('tiny'), MINUTE);
    await store.write('big1', entry(Buffer.alloc(4000, 1)), MINUTE);
    await store.write('big2', entry(Buffer.alloc(4000, 2)), MINUTE);
    await store.write('big3', entry(Buffer.alloc(4000, 3)), MINUTE);
    expect((await store.read('small', [])).entry).toBeUndefined();
    expect((await store.read('big1', [])).entry).toBeUndefined();
    const newest = (await store.read('big3', [])).entry;
    expect(newest?.value).toEqual(Buffer.alloc(4000, 3));
    expect((await store.read('big2', [])).entry).toBeDefined();
  });

  it('does not store a value larger than maxBytes, and keeps the others', async () => {
    open(1000, 10_000);
    await store.write('small', entry('tiny'), MINUTE);
    await store.write('huge', entry(Buffer.alloc(20_000)), MINUTE);
    expect((await store.read('huge', [])).entry).toBeUndefined();
    expect((await store.read('small', [])).entry?.value).toBe('tiny');
  });

  it('refuses a second lock on a key until it is released with its token', async () => {
    open();
    const token = await store.lock('report', MINUTE);
    expect(token).toEqual(expect.any(String));
    expect(await store.lock('report', MINUTE)).toBeUndefined();
    expect(await store.lock('other', MINUTE)).toEqual(expect.any(String));

    await store.unlock('report', 'not-the-token');
    expect(await store.lock('report', MINUTE)).toBeUndefined();

    await store.unlock('report', token!);
    const next = await store.lock('report', MINUTE);
    expect(next).toEqual(expect.any(String));
    expect(next).not.toBe(token);
  });

  it('lets a lock go by itself after its TTL', async () => {
    open();
    const first = await store.lock('report', 30);
    expect(await store.lock('report', MINUTE)).toBeUndefined();
    await sleep(60);
    const second = await store.lock('report', MINUTE);
    expect(second).toEqual(expect.any(String));
    // The late unlock of the first holder does not release the second one's lock.
    await store.unlock('report', first!);
    expect(await store.lock('report', MINUTE)).toBeUndefined();
  });

  it('clear() drops entries, tag versions and locks', async () => {
    open();
    await store.write('a', entry('a'), MINUTE);
    await store.invalidateTags(['posts']);
    await store.lock('a', MINUTE);
    await store.clear();
    expect(store.size).toBe(0);
    expect((await store.read('a', [])).entry).toBeUndefined();
    expect(await store.tagVersions(['posts'])).toEqual({ posts: 0 });
    expect(await store.lock('a', MINUTE)).toEqual(expect.any(String));
  });
});
