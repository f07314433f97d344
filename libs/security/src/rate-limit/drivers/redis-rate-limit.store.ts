import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimitStore, type RateLimitHit } from '../rate-limit.store.js';
import { SLIDING_WINDOW_LUA } from './sliding-window.lua.js';

/** Options of {@link RedisRateLimitStore}. */
export interface RedisRateLimitStoreOptions {
  /** How long one check may take before it fails (and `onStoreError` decides), in ms. @default 1000 */
  timeoutMs?: number;
}

const COMMAND = 'kwikRateLimitSlidingWindow';

type ScriptedRedis = Redis & {
  [COMMAND](key: string, limit: number, windowMs: number, member: string): Promise<[number, number, number]>;
};

/**
 * Sliding-window rate limiting shared by every app instance through Redis: each check is one Lua
 * script (`EVALSHA`, loaded through ioredis `defineCommand`) that trims, counts and records in a
 * single atomic step, so N instances together allow exactly `limit` requests per window.
 * Used automatically when the app configured Redis (`KWIK_REDIS`); pass your own client to use
 * another server. The client stays yours: this store never connects or quits it.
 *
 * @example
 * SecurityModule.forRoot({ rateLimit: { store: new RedisRateLimitStore(new Redis(url)) } });
 */
export class RedisRateLimitStore extends RateLimitStore {
  private readonly redis: ScriptedRedis;
  private readonly timeoutMs: number;
  /** Members must be unique per request across instances: this instance's id plus a counter. */
  private readonly instanceId = randomBytes(6).toString('base64url');
  private sequence = 0;

  constructor(redis: Redis, options: RedisRateLimitStoreOptions = {}) {
    super();
    if (typeof (redis as unknown as Partial<ScriptedRedis>)[COMMAND] !== 'function')
      redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: SLIDING_WINDOW_LUA });
    this.redis = redis as unknown as ScriptedRedis;
    this.timeoutMs = options.timeoutMs ?? 1000;
  }

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitHit> {
    const member = `${this.instanceId}:${(this.sequence = (this.sequence + 1) % Number.MAX_SAFE_INTEGER)}`;
    const [allowed, remaining, resetMs] = await this.withTimeout(
      this.redis[COMMAND](key, limit, windowMs, member),
    );
    return { allowed: allowed === 1, remaining, resetMs };
  }

  private withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis did not answer the rate-limit check within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }
}
