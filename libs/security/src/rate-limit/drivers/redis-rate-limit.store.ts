import { randomBytes } from 'node:crypto';
import type { OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimitStore, type RateLimitHit } from '../rate-limit.store.js';
import { SLIDING_WINDOW_LUA } from './sliding-window.lua.js';

/** Options of {@link RedisRateLimitStore}. */
export interface RedisRateLimitStoreOptions {
  /** How long one check may take before it fails (and `onStoreError` decides), in ms. @default 1000 */
  timeoutMs?: number;
  /** Quit the client when the app shuts down (the store made it). @default false */
  ownsClient?: boolean;
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
 * another server. A client you pass stays yours: this store never connects or quits it (unless
 * `ownsClient`). With the shared client, Kwik gives the store its own auto-pipelined connection:
 * the checks of concurrent requests then leave in one write.
 *
 * @example
 * SecurityModule.forRoot({ rateLimit: { store: new RedisRateLimitStore(new Redis(url)) } });
 */
export class RedisRateLimitStore extends RateLimitStore implements OnApplicationShutdown {
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
    this.ownsClient = options.ownsClient ?? false;
  }

  private readonly ownsClient: boolean;

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.watchdog);
    if (this.ownsClient) await this.redis.quit().catch(() => this.redis.disconnect());
  }

  hit(key: string, limit: number, windowMs: number): Promise<RateLimitHit> {
    const member = `${this.instanceId}:${(this.sequence = (this.sequence + 1) % Number.MAX_SAFE_INTEGER)}`;
    // No await and no timer per check (each costs async-hook work on the request path): one
    // promise, and a single watchdog interval fails the checks Redis has not answered in time.
    return new Promise<RateLimitHit>((resolve, reject) => {
      const check: PendingCheck = { deadline: Date.now() + this.timeoutMs, reject };
      this.pending.add(check);
      this.watch();
      this.redis[COMMAND](key, limit, windowMs, member).then(
        ([allowed, remaining, resetMs]) => {
          this.pending.delete(check);
          resolve({ allowed: allowed === 1, remaining, resetMs });
        },
        (error: unknown) => {
          this.pending.delete(check);
          reject(error);
        },
      );
    });
  }

  private readonly pending = new Set<PendingCheck>();
  private watchdog: NodeJS.Timeout | undefined;

  /** Starts the watchdog while checks are pending; it stops itself when none are left. */
  private watch(): void {
    if (this.watchdog !== undefined) return;
    const every = Math.max(10, Math.floor(this.timeoutMs / 4));
    this.watchdog = setInterval(() => {
      const now = Date.now();
      for (const check of this.pending) {
        if (check.deadline > now) continue;
        this.pending.delete(check);
        check.reject(new Error(`Redis did not answer the rate-limit check within ${this.timeoutMs} ms`));
      }
      if (this.pending.size === 0) {
        clearInterval(this.watchdog);
        this.watchdog = undefined;
      }
    }, every).unref();
  }
}

interface PendingCheck {
  deadline: number;
  reject(error: Error): void;
}
