import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bootSecurityApp,
  parseRateLimitField,
  REDIS_URL,
  uniqueKeyPrefix,
  type BootedApp,
} from './fixtures/boot.js';

const LIMIT = 10;

describe('rate limiting shared by two instances through Redis', () => {
  const keyPrefix = uniqueKeyPrefix('two-instances');
  let redis: Redis;
  let one: BootedApp;
  let two: BootedApp;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    const options = {
      kwik: { redis: { url: REDIS_URL } },
      security: { rateLimit: { keyPrefix, anonymous: { limit: LIMIT, window: '1m' as const } } },
    };
    [one, two] = await Promise.all([bootSecurityApp(options), bootSecurityApp(options)]);
  });
  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()]);
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('a concurrent burst of 3×limit over both instances gets exactly limit answers', async () => {
    const responses = await Promise.all(
      Array.from({ length: 3 * LIMIT }, (_, i) => (i % 2 === 0 ? one : two).get('/things')),
    );
    const allowed = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status === 429);
    expect(allowed).toHaveLength(LIMIT);
    expect(refused).toHaveLength(2 * LIMIT);
    // Each allowed request saw its own place in the shared window: remaining 9, 8, ..., 0.
    const remaining = allowed.map((r) => parseRateLimitField(r.headers.get('ratelimit')).params.r!);
    expect(remaining.sort((a, b) => a - b)).toEqual(Array.from({ length: LIMIT }, (_, i) => i));
    for (const res of responses) {
      expect(res.headers.get('ratelimit-policy')).toBe(`"anonymous";q=${LIMIT};w=60`);
      const { t } = parseRateLimitField(res.headers.get('ratelimit')).params;
      expect(t).toBeGreaterThanOrEqual(1);
      expect(t).toBeLessThanOrEqual(60);
    }
    for (const res of refused) {
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(((await res.json()) as { type: string }).type).toBe('https://kwik.dev/problems/rate-limited');
    }
  });

  it('keeps the counts under namespaced keys: <prefix><policy>:<route>:<tracker>', async () => {
    await one.get('/limited/default', { 'x-test-user': 'u-42' });
    const keys = (await redis.keys(`${keyPrefix}*`)).sort();
    expect(keys).toEqual([
      `${keyPrefix}anonymous:*:ip:127.0.0.1`,
      `${keyPrefix}limited:LimitedController.byDefault:user:u-42`,
    ]);
    const ttl = await redis.pttl(`${keyPrefix}limited:LimitedController.byDefault:user:u-42`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('a user limited on one instance is limited on the other', async () => {
    const headers = { 'x-test-user': 'roaming' };
    for (let i = 0; i < 3; i++) expect((await one.get('/limited/default', headers)).status).toBe(200);
    const res = await two.get('/limited/default', headers);
    expect(res.status).toBe(429);
    expect(res.headers.get('ratelimit')).toMatch(/^"limited";r=0;t=\d+$/);
  });
});
