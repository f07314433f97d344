import { createHash } from 'node:crypto';
import type { KwikRedisClient } from '@kwik/core';
import { LoginThrottleStore, type ThrottleRule, type ThrottleState } from '../login-throttle.store.js';

/** Options of a {@link RedisLoginThrottleStore}. */
export interface RedisLoginThrottleStoreOptions {
  /**
   * Prefix of every key; a key is `<prefix><account|ip>:<value>`.
   * @default 'kwik:auth:throttle:'
   */
  keyPrefix?: string;
}

// One failure, atomically: the same transition as MemoryLoginThrottleStore's `nextState`.
// Fields: f = failures, l = lockedUntil (ms), e = expiresAt (ms). `e` is checked against the
// caller's clock as well as used for the TTL, so an injected clock behaves like the real one.
const HIT_SCRIPT = `
local now = tonumber(ARGV[1])
local maxFailures = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local lockBase = tonumber(ARGV[4])
local lockMax = tonumber(ARGV[5])
local s = redis.call('HMGET', KEYS[1], 'f', 'l', 'e')
local failures = tonumber(s[1]) or 0
local lockedUntil = tonumber(s[2]) or 0
local expiresAt = tonumber(s[3]) or 0
if now >= expiresAt then
  failures = 0
  lockedUntil = 0
  expiresAt = now + window
end
failures = failures + 1
if failures >= maxFailures then
  local lock = math.min(lockBase * 2 ^ math.min(failures - maxFailures, 30), lockMax)
  lockedUntil = math.max(lockedUntil, now + lock)
  expiresAt = math.max(expiresAt, lockedUntil + window)
end
redis.call('HSET', KEYS[1], 'f', failures, 'l', string.format('%.0f', lockedUntil), 'e', string.format('%.0f', expiresAt))
redis.call('PEXPIRE', KEYS[1], math.max(expiresAt - now, 1))
return { failures, string.format('%.0f', lockedUntil) }
`;
const HIT_SHA = createHash('sha1').update(HIT_SCRIPT).digest('hex');

/**
 * {@link LoginThrottleStore} on Redis, shared by every app instance. A failure is one Lua script
 * (read-modify-write is atomic across instances); reading is one `HMGET`, resetting one `DEL`,
 * each atomic already. Keys carry a TTL, so Redis forgets them on its own. Each operation
 * touches a single key, so it works on Redis Cluster too.
 *
 * @example
 * const throttle = new LoginThrottle(new RedisLoginThrottleStore(redis));
 */
export class RedisLoginThrottleStore extends LoginThrottleStore {
  private readonly keyPrefix: string;

  constructor(
    private readonly redis: NonNullable<KwikRedisClient>,
    options: RedisLoginThrottleStoreOptions = {},
  ) {
    super();
    this.keyPrefix = options.keyPrefix ?? 'kwik:auth:throttle:';
  }

  override async get(key: string, now: number): Promise<ThrottleState> {
    const [f, l, e] = await this.redis.hmget(this.keyPrefix + key, 'f', 'l', 'e');
    if (e === null || now >= Number(e)) return { failures: 0, lockedUntil: 0 };
    return { failures: Number(f), lockedUntil: Number(l) };
  }

  override async hit(key: string, rule: ThrottleRule, now: number): Promise<ThrottleState> {
    const args = [
      now,
      rule.maxFailures,
      rule.windowSeconds * 1000,
      rule.lockSeconds * 1000,
      rule.maxLockSeconds * 1000,
    ];
    const [failures, lockedUntil] = (await this.evalHit(this.keyPrefix + key, args.map(String))) as [
      number,
      string,
    ];
    return { failures: Number(failures), lockedUntil: Number(lockedUntil) };
  }

  override async reset(key: string): Promise<void> {
    await this.redis.del(this.keyPrefix + key);
  }

  /** EVALSHA, loading the script with EVAL the first time a Redis server has not seen it. */
  private async evalHit(key: string, args: string[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(HIT_SHA, 1, key, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.redis.eval(HIT_SCRIPT, 1, key, ...args);
    }
  }
}
