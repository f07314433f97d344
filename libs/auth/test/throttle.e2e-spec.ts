import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisLoginThrottleStore } from '../src/throttle/drivers/redis-login-throttle.store.js';
import { LoginThrottle } from '../src/throttle/login-throttle.js';
import { DEFAULT_ACCOUNT_THROTTLE } from '../src/throttle/login-throttle.js';
import { loginThrottleScenarios, TestClock } from '../src/throttle/login-throttle-scenarios.fixture.js';

const REDIS_URL = process.env.KWIK_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
// Every key this run writes starts with RUN, so runs never see each other and cleanup is exact.
const RUN = `kwik-test:auth-throttle:${randomUUID()}:`;

describe('RedisLoginThrottleStore (real Redis)', () => {
  let first: Redis;
  let second: Redis;
  const extraKeys: string[] = [];
  let storeCount = 0;
  /** A store on `client` with a key prefix of its own (or `prefix` to share one). */
  const storeOn = (client: Redis, prefix = `${RUN}${storeCount++}:`) =>
    new RedisLoginThrottleStore(client, { keyPrefix: prefix });

  beforeAll(() => {
    first = new Redis(REDIS_URL, { connectionName: 'kwik-test-instance-1' });
    second = new Redis(REDIS_URL, { connectionName: 'kwik-test-instance-2' });
  });

  afterAll(async () => {
    const keys = [...extraKeys];
    for await (const batch of first.scanStream({ match: `${RUN}*`, count: 500 }))
      keys.push(...(batch as string[]));
    if (keys.length > 0) await first.del(...keys);
    await Promise.all([first.quit(), second.quit()]);
  });

  describe('login throttle policy', () => {
    loginThrottleScenarios(() => storeOn(first));
  });

  describe('two app instances sharing one Redis', () => {
    it('add up failures recorded through either, and both see the lock', async () => {
      const prefix = `${RUN}shared:`;
      const clock = new TestClock();
      const one = new LoginThrottle(storeOn(first, prefix), { now: clock.now });
      const two = new LoginThrottle(storeOn(second, prefix), { now: clock.now });
      const attempt = { account: 'ann@acme.test', ip: '203.0.113.7' };
      await one.recordFailure(attempt);
      await two.recordFailure(attempt);
      await one.recordFailure(attempt);
      await two.recordFailure(attempt);
      expect(await one.check(attempt)).toEqual({ allowed: true });
      expect(await two.recordFailure(attempt)).toEqual({
        allowed: false,
        retryAfterSeconds: 30,
        scope: 'account',
      });
      expect(await one.check(attempt)).toEqual({ allowed: false, retryAfterSeconds: 30, scope: 'account' });
      await one.recordSuccess(attempt);
      expect(await two.check(attempt)).toEqual({ allowed: true });
    });

    it('count every one of many concurrent failures exactly once', async () => {
      const prefix = `${RUN}concurrent:`;
      const stores = [storeOn(first, prefix), storeOn(second, prefix)];
      const now = Date.UTC(2030, 0, 1);
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          stores[i % 2].hit('account:race', DEFAULT_ACCOUNT_THROTTLE, now),
        ),
      );
      expect(await stores[0].get('account:race', now)).toMatchObject({ failures: 40 });
    });
  });

  it('stores kwik:auth:throttle:{account|ip}:<value> hashes that Redis expires by itself', async () => {
    const account = `${randomUUID()}@acme.test`;
    const ip = `198.51.100.${Math.floor(Math.random() * 250)}-${randomUUID()}`;
    const accountKey = `kwik:auth:throttle:account:${account}`;
    const ipKey = `kwik:auth:throttle:ip:${ip}`;
    extraKeys.push(accountKey, ipKey);
    const throttle = new LoginThrottle(new RedisLoginThrottleStore(first));
    await throttle.recordFailure({ account, ip });
    for (const key of [accountKey, ipKey]) {
      expect(await first.hget(key, 'f')).toBe('1');
      const ttl = await first.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(900_000);
    }
    await throttle.recordSuccess({ account });
    expect(await first.exists(accountKey)).toBe(0);
    expect(await first.exists(ipKey)).toBe(1);
  });

  it('reloads its script when Redis has forgotten it', async () => {
    const store = storeOn(first);
    const now = Date.UTC(2030, 0, 1);
    await store.hit('account:reload', DEFAULT_ACCOUNT_THROTTLE, now);
    await first.script('FLUSH');
    expect(await store.hit('account:reload', DEFAULT_ACCOUNT_THROTTLE, now)).toEqual({
      failures: 2,
      lockedUntil: 0,
    });
  });
});
