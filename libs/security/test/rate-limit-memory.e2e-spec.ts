import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootSecurityApp, parseRateLimitField, type BootedApp } from './fixtures/boot.js';

const user = (id: string, apiKeyId?: string): Record<string, string> => ({
  'x-test-user': id,
  ...(apiKeyId ? { 'x-test-key': apiKeyId } : {}),
});

/** Status codes of `count` concurrent GETs. */
async function burst(app: BootedApp, path: string, count: number, headers: Record<string, string> = {}) {
  const responses = await Promise.all(Array.from({ length: count }, () => app.get(path, headers)));
  return responses;
}

const statuses = (responses: Response[]) => responses.map((r) => r.status);
const count = (responses: Response[], status: number) =>
  statuses(responses).filter((s) => s === status).length;

describe('rate limiting in one instance (memory store)', () => {
  let app: BootedApp;

  // Every test uses routes or callers of its own, so they share one app without sharing counts.
  beforeAll(async () => {
    app = await bootSecurityApp({
      security: {
        rateLimit: {
          store: 'memory',
          anonymous: { limit: 5, window: '1m' },
          authenticated: { limit: 8, window: '1m' },
        },
      },
    });
  });
  afterAll(() => app?.close());

  it('counts each tenant apart: one ip spending its budget in one tenant keeps it in another', async () => {
    const acme = await burst(app, '/things/tenanted', 7, { 'x-test-tenant': 'acme' });
    expect(count(acme, 200)).toBe(5);
    expect(count(acme, 429)).toBe(2);
    const globex = await burst(app, '/things/tenanted', 5, { 'x-test-tenant': 'globex' });
    expect(count(globex, 200)).toBe(5);
  });

  it('a concurrent burst of 3×limit gets exactly limit answers, the rest 429 problems', async () => {
    const responses = await burst(app, '/things', 15);
    expect(count(responses, 200)).toBe(5);
    expect(count(responses, 429)).toBe(10);
    const refused = responses.find((r) => r.status === 429)!;
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: 'https://kwik.dev/problems/rate-limited',
      title: 'Too Many Requests',
      status: 429,
      instance: '/things',
      policy: 'anonymous',
      limit: 5,
      window: 60,
      retryAfter,
    });
    expect(body.detail).toBe(
      `Rate limit "anonymous" exceeded: at most 5 requests per 60 s. Retry in ${retryAfter} s.`,
    );
    expect(body.requestId).toBe(refused.headers.get('x-request-id'));
    const allowed = responses.filter((r) => r.status === 200);
    const remaining = allowed.map((r) => parseRateLimitField(r.headers.get('ratelimit')).params.r).sort();
    expect(remaining).toEqual([0, 1, 2, 3, 4]);
  });

  it('sends RateLimit-Policy and RateLimit on every limited response: remaining counts down, reset within the window', async () => {
    const seen: { r: number; t: number }[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await app.get('/things/abc', user('header-user'));
      expect(res.status).toBe(i < 8 ? 200 : 429);
      expect(res.headers.get('ratelimit-policy')).toBe('"authenticated";q=8;w=60');
      const field = parseRateLimitField(res.headers.get('ratelimit'));
      expect(field.name).toBe('authenticated');
      seen.push({ r: field.params.r!, t: field.params.t! });
    }
    expect(seen.map((s) => s.r)).toEqual([7, 6, 5, 4, 3, 2, 1, 0, 0, 0]);
    for (const { t } of seen) {
      expect(t).toBeGreaterThanOrEqual(1);
      expect(t).toBeLessThanOrEqual(60);
    }
  });

  it('counts the anonymous tier per ip and the authenticated tier per user, each with its own limit, across routes', async () => {
    const alice = await burst(app, '/things/1', 12, user('tier-alice'));
    const bob = await burst(app, '/things/1', 12, user('tier-bob'));
    const anonymous = await burst(app, '/things/1', 12);
    // A tier is one budget per caller across routes: the first test spent 127.0.0.1's anonymous
    // budget on /things, and alice's 8 on /things/1 leave her nothing on another route.
    expect([count(alice, 200), count(bob, 200), count(anonymous, 200)]).toEqual([8, 8, 0]);
    expect(count(await burst(app, '/things/2', 3, user('tier-alice')), 200)).toBe(0);
  });

  it("keys per user, per ip and per API key independently (`by: 'user' | 'ip' | 'apiKey'`)", async () => {
    // by user (the controller's policy): each user has 3, the anonymous caller (ip) its own 3.
    expect(count(await burst(app, '/limited/default', 5, user('key-u1')), 200)).toBe(3);
    expect(count(await burst(app, '/limited/default', 5, user('key-u2')), 200)).toBe(3);
    expect(count(await burst(app, '/limited/default', 5), 200)).toBe(3);
    // by ip: two users behind one ip share 3.
    const ip1 = await burst(app, '/limited/ip', 2, user('ip-u1'));
    const ip2 = await burst(app, '/limited/ip', 2, user('ip-u2'));
    expect(count([...ip1, ...ip2], 200)).toBe(3);
    // by API key: each key of one user has 3; the same user without a key falls back to the ip.
    expect(count(await burst(app, '/limited/key', 5, user('key-owner', 'k1')), 200)).toBe(3);
    expect(count(await burst(app, '/limited/key', 5, user('key-owner', 'k2')), 200)).toBe(3);
    expect(count(await burst(app, '/limited/key', 5, user('key-owner')), 200)).toBe(3);
  });

  it('keys by what a `by` function returns', async () => {
    expect(count(await burst(app, '/limited/custom', 4, { 'x-team': 'red' }), 200)).toBe(2);
    expect(count(await burst(app, '/limited/custom', 4, { 'x-team': 'blue' }), 200)).toBe(2);
  });

  it('a @RateLimit() policy replaces the tiers and names itself in the headers', async () => {
    const res = await app.get('/limited/default', user('named'));
    expect(res.headers.get('ratelimit-policy')).toBe('"limited";q=3;w=60');
    expect(res.headers.get('ratelimit')).toBe('"limited";r=2;t=60');
  });

  it('@SkipRateLimit() routes and excluded paths are never limited and carry no RateLimit headers', async () => {
    for (const path of ['/limited/free', '/health/ready', '/slow?ms=0']) {
      const responses = await burst(app, path, 12);
      expect(statuses(responses).every((s) => s === 200)).toBe(true);
      expect(responses.every((r) => r.headers.get('ratelimit') === null)).toBe(true);
    }
  });

  it('the window rolls over: after Retry-After the route answers again', async () => {
    const first = await burst(app, '/limited/short', 3);
    expect(count(first, 200)).toBe(2);
    const retryAfter = Number(first.find((r) => r.status === 429)!.headers.get('retry-after'));
    expect(retryAfter).toBe(1);
    await sleep(retryAfter * 1000 + 50);
    const second = await burst(app, '/limited/short', 3);
    expect(count(second, 200)).toBe(2);
  });
});

describe('rate limiting turned off', () => {
  let app: BootedApp;
  beforeAll(async () => {
    app = await bootSecurityApp({ security: { rateLimit: false } });
  });
  afterAll(() => app?.close());

  it('limits nothing, @RateLimit() routes included', async () => {
    for (const path of ['/things', '/limited/default']) {
      const responses = await burst(app, path, 10);
      expect(statuses(responses).every((s) => s === 200)).toBe(true);
      expect(responses[0]!.headers.get('ratelimit')).toBeNull();
    }
  });
});

describe('behind a trusted proxy (createKwikApp trustProxy)', () => {
  let app: BootedApp;
  beforeAll(async () => {
    app = await bootSecurityApp({
      app: { trustProxy: '127.0.0.1' },
      security: { rateLimit: { anonymous: { limit: 2, window: '1m' } } },
    });
  });
  afterAll(() => app?.close());

  const from = (ip: string) => burst(app, '/things', 3, { 'x-forwarded-for': ip });

  it('counts each forwarded client ip separately', async () => {
    expect(count(await from('203.0.113.7'), 200)).toBe(2);
    expect(count(await from('203.0.113.8'), 200)).toBe(2);
  });
});
