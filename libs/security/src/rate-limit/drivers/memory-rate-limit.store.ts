import { performance } from 'node:perf_hooks';
import type { OnApplicationShutdown } from '@nestjs/common';
import { RateLimitStore, type RateLimitHit } from '../rate-limit.store.js';

/** Options of {@link MemoryRateLimitStore}. */
export interface MemoryRateLimitStoreOptions {
  /** Clock in milliseconds (monotonic). @default performance.now */
  now?: () => number;
  /** How often keys whose window has passed are dropped, in ms. @default 60000 */
  sweepIntervalMs?: number;
}

interface Entry {
  /** Times of the counted requests, oldest first. */
  hits: number[];
  windowMs: number;
}

/**
 * Sliding-window rate limiting in this process: one list of request times per key, so at most
 * `limit` requests are allowed in any `windowMs`. Exact within one instance; with several
 * instances each counts its own requests (use Redis to share a limit). The default store when the
 * app has no Redis. Memory: one number per counted request per active key; idle keys are swept.
 *
 * @example
 * SecurityModule.forRoot({ rateLimit: { store: 'memory' } });
 */
export class MemoryRateLimitStore extends RateLimitStore implements OnApplicationShutdown {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(options: MemoryRateLimitStoreOptions = {}) {
    super();
    this.now = options.now ?? (() => performance.now());
    this.sweeper = setInterval(() => this.sweep(), options.sweepIntervalMs ?? 60_000);
    this.sweeper.unref();
  }

  /** Number of keys currently held (for monitoring and tests). */
  get size(): number {
    return this.entries.size;
  }

  hit(key: string, limit: number, windowMs: number): Promise<RateLimitHit> {
    return Promise.resolve(this.hitSync(key, limit, windowMs));
  }

  override hitNow(key: string, limit: number, windowMs: number): RateLimitHit {
    return this.hitSync(key, limit, windowMs);
  }

  /** The synchronous core of {@link hit}: nothing can interleave, so it is atomic per process. */
  hitSync(key: string, limit: number, windowMs: number): RateLimitHit {
    const now = this.now();
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { hits: [], windowMs };
      this.entries.set(key, entry);
    }
    entry.windowMs = windowMs;
    const { hits } = entry;
    const cutoff = now - windowMs;
    let expired = 0;
    while (expired < hits.length && hits[expired]! <= cutoff) expired++;
    if (expired > 0) hits.splice(0, expired);
    const allowed = hits.length < limit;
    if (allowed) hits.push(now);
    const oldest = hits[0];
    return {
      allowed,
      remaining: allowed ? Math.max(0, limit - hits.length) : 0,
      // `windowMs - age`, not `oldest + windowMs - now`: float rounding could exceed the window.
      resetMs: oldest === undefined ? windowMs : windowMs - (now - oldest),
    };
  }

  /** Drops the keys whose newest request has left its window. */
  sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      const newest = entry.hits[entry.hits.length - 1];
      if (newest === undefined || newest <= now - entry.windowMs) this.entries.delete(key);
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
    this.entries.clear();
  }
}
