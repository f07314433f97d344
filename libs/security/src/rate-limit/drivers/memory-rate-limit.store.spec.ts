import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRateLimitStore } from './memory-rate-limit.store.js';

describe('MemoryRateLimitStore (sliding window)', () => {
  let now = 0;
  const stores: MemoryRateLimitStore[] = [];
  const store = () => {
    now = 1_000_000;
    const created = new MemoryRateLimitStore({ now: () => now });
    stores.push(created);
    return created;
  };
  afterEach(() => {
    for (const s of stores.splice(0)) s.onApplicationShutdown();
  });

  it('allows exactly `limit` requests of a burst, counting down `remaining`', async () => {
    const s = store();
    const hits = await Promise.all(Array.from({ length: 15 }, () => s.hit('k', 5, 60_000)));
    expect(hits.filter((h) => h.allowed)).toHaveLength(5);
    expect(hits.slice(0, 5).map((h) => h.remaining)).toEqual([4, 3, 2, 1, 0]);
    expect(hits.slice(5).every((h) => !h.allowed && h.remaining === 0)).toBe(true);
  });

  it('reports the time until the oldest counted request leaves the window', () => {
    const s = store();
    expect(s.hitSync('k', 2, 10_000).resetMs).toBe(10_000);
    now += 4000;
    expect(s.hitSync('k', 2, 10_000).resetMs).toBe(6000);
    now += 1000;
    const refused = s.hitSync('k', 2, 10_000);
    expect(refused).toEqual({ allowed: false, remaining: 0, resetMs: 5000 });
  });

  it('slides: quota comes back one request at a time as old requests expire', () => {
    const s = store();
    s.hitSync('k', 2, 10_000); // t = 0
    now += 6000;
    s.hitSync('k', 2, 10_000); // t = 6 s
    now += 3999; // t = 9.999 s: both still in the window
    expect(s.hitSync('k', 2, 10_000).allowed).toBe(false);
    now += 1; // t = 10 s: the first has left, the second has not
    expect(s.hitSync('k', 2, 10_000)).toMatchObject({ allowed: true, remaining: 0 });
    expect(s.hitSync('k', 2, 10_000).allowed).toBe(false);
  });

  it('does not count refused requests (a client hammering the limit is not locked out for longer)', () => {
    const s = store();
    s.hitSync('k', 1, 1000);
    for (let i = 0; i < 50; i++) s.hitSync('k', 1, 1000);
    now += 1000;
    expect(s.hitSync('k', 1, 1000).allowed).toBe(true);
  });

  it('keeps keys independent', () => {
    const s = store();
    expect(s.hitSync('a', 1, 1000).allowed).toBe(true);
    expect(s.hitSync('a', 1, 1000).allowed).toBe(false);
    expect(s.hitSync('b', 1, 1000).allowed).toBe(true);
  });

  it('sweeps keys whose window has passed, and only those', () => {
    const s = store();
    s.hitSync('old', 5, 1000);
    s.hitSync('long', 5, 60_000);
    now += 1000;
    s.hitSync('fresh', 5, 1000);
    s.sweep();
    expect(s.size).toBe(2);
    expect(s.hitSync('old', 1, 1000)).toMatchObject({ allowed: true, remaining: 0 });
  });
});
