import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateLimitStore } from '@kwik/security';
import {
  bootSecurityApp,
  CapturingLogger,
  REDIS_URL,
  uniqueKeyPrefix,
  type BootedApp,
} from './fixtures/boot.js';

/** Nothing listens on port 1: connections are refused at once. */
const UNREACHABLE = 'redis://127.0.0.1:1';

const burst = (app: BootedApp, count: number) =>
  Promise.all(Array.from({ length: count }, () => app.get('/things')));

const failures = (logger: CapturingLogger) =>
  logger.lines.filter((l) => l.level === 'error' && l.message.startsWith('The rate-limit store failed'));

describe('when Redis is unreachable', () => {
  const openLogger = new CapturingLogger();
  let open: BootedApp;
  let closed: BootedApp;

  beforeAll(async () => {
    const kwik = { redis: { url: UNREACHABLE } };
    const rateLimit = { anonymous: { limit: 2, window: '1m' as const } };
    [open, closed] = await Promise.all([
      bootSecurityApp({ kwik, security: { rateLimit }, logger: openLogger }),
      bootSecurityApp({ kwik, security: { rateLimit: { ...rateLimit, onStoreError: 'closed' } } }),
    ]);
  });
  afterAll(() => Promise.all([open?.close(), closed?.close()]));

  it('fails open by default: requests are served, unlimited, and the incident is logged once', async () => {
    const responses = [...(await burst(open, 6)), ...(await burst(open, 6))];
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect(responses.every((r) => r.headers.get('ratelimit') === null)).toBe(true);
    expect(failures(openLogger)).toHaveLength(1);
    expect(failures(openLogger)[0]!.message).toMatch(
      /letting requests through unlimited until it recovers \(rateLimit\.onStoreError: 'open'\)/,
    );
  });

  it("fails closed with onStoreError: 'closed': a 503 problem, never a 500", async () => {
    const responses = await burst(closed, 4);
    for (const res of responses) {
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(await res.json()).toMatchObject({
        type: 'https://kwik.dev/problems/rate-limit-unavailable',
        status: 503,
      });
    }
  });
});

describe('when Redis goes away and comes back', () => {
  const logger = new CapturingLogger();
  const keyPrefix = uniqueKeyPrefix('incident');
  let client: Redis;
  let app: BootedApp;

  beforeAll(async () => {
    client = new Redis(REDIS_URL);
    app = await bootSecurityApp({
      logger,
      security: {
        rateLimit: {
          keyPrefix,
          store: new RedisRateLimitStore(client),
          anonymous: { limit: 100, window: '1m' },
        },
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    const keys = await client.keys(`${keyPrefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
  });

  it('limits, lets requests through during the outage (logged once), and limits again after', async () => {
    const before = await app.get('/things');
    expect(before.headers.get('ratelimit')).toBe('"anonymous";r=99;t=60');

    client.disconnect(); // a manual disconnect: commands now fail at once, no reconnection
    const during = [...(await burst(app, 5)), ...(await burst(app, 5))];
    expect(during.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(during.every((r) => r.headers.get('ratelimit') === null)).toBe(true);
    expect(failures(logger)).toHaveLength(1);

    await client.connect();
    const after = await app.get('/things');
    expect(after.status).toBe(200);
    expect(after.headers.get('ratelimit')).toMatch(/^"anonymous";r=98;t=\d+$/);
    expect(logger.lines.filter((l) => l.message.includes('answers again'))).toHaveLength(1);
    expect(failures(logger)).toHaveLength(1);
  });
});
