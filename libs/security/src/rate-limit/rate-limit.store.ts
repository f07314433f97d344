/** The outcome of counting one request against a policy. */
export interface RateLimitHit {
  /** Whether the request fits in the window (a refused request is not counted). */
  allowed: boolean;
  /** Requests still allowed in the window after this one; 0 when refused. */
  remaining: number;
  /** Milliseconds until the oldest counted request leaves the window, i.e. until `remaining` next grows. */
  resetMs: number;
}

/**
 * The port behind rate limiting: counts a request under a key, atomically, with the sliding-window
 * algorithm (at most `limit` requests in any `windowMs`). Kwik ships `MemoryRateLimitStore` (one
 * process) and `RedisRateLimitStore` (shared by every instance); implement it for another backend
 * and pass an instance as `rateLimit.store`.
 *
 * @example
 * class MyStore extends RateLimitStore {
 *   async hit(key: string, limit: number, windowMs: number): Promise<RateLimitHit> { ... }
 * }
 * SecurityModule.forRoot({ rateLimit: { store: new MyStore() } });
 */
export abstract class RateLimitStore {
  /**
   * Counts one request under `key` if fewer than `limit` were counted in the last `windowMs`.
   * Must be atomic: concurrent calls for one key never allow more than `limit`.
   */
  abstract hit(key: string, limit: number, windowMs: number): Promise<RateLimitHit>;

  /**
   * {@link hit} answered synchronously, for a store that can (an in-process one): the guard then
   * decides without a promise. The default, `undefined`, makes the guard call {@link hit}.
   */
  hitNow(_key: string, _limit: number, _windowMs: number): RateLimitHit | undefined {
    return undefined;
  }
}
