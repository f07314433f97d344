import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestContext } from '@kwik/core';
import { CacheError, CacheErrorCode, CacheService, CacheStats, type CacheModuleOptions } from '@kwik/cache';
import { CACHE_METADATA } from '../src/cache.constants.js';
import {
  bootMethodCacheApp,
  MethodCalls,
  PerRequestService,
  RatesController,
  RatesService,
} from './fixtures/method-cache-app.js';

const REDIS_URL = process.env.KWIK_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisOptions = (prefix: string): CacheModuleOptions => ({
  store: 'redis',
  redis: { url: REDIS_URL, keyPrefix: prefix },
});
const uniquePrefix = (): string => `kwik:test:${randomBytes(6).toString('hex')}:`;

/** Polls `check` until it is true (background work), failing after `timeoutMs`. */
async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/** Runs `fn` as `user` (none: anonymous) of `tenant`. */
function asCaller<T>(context: RequestContext, user: string | undefined, tenant: string, fn: () => T): T {
  return context.run(
    { ...(user ? { principal: { id: user, kind: 'user' } } : {}), tenant: { id: tenant } },
    fn,
  );
}

/** The error a promise rejected with. */
async function rejection(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe.each<[string, () => CacheModuleOptions]>([
  ['memory', () => ({ store: 'memory' })],
  ['redis', () => redisOptions(uniquePrefix())],
])('@Cache() / @CacheEvict() on provider methods (%s store)', (_, options) => {
  let app: NestFastifyApplication;
  let rates: RatesService;
  let calls: MethodCalls;
  let context: RequestContext;

  const mine = (user: string | undefined, tenant: string) =>
    asCaller(context, user, tenant, () => rates.mine());

  beforeAll(async () => {
    app = await bootMethodCacheApp(options());
    rates = app.get(RatesService);
    calls = app.get(MethodCalls);
    context = app.get(RequestContext);
  });
  afterAll(async () => {
    await app?.get(CacheService).clear();
    await app?.close();
  });

  it('computes once for equal arguments and again for different ones', async () => {
    const first = await rates.rate('EUR', 'USD');
    expect(await rates.rate('EUR', 'USD')).toEqual(first);
    expect(calls.of('rate')).toBe(1);
    expect(await rates.rate('EUR', 'GBP')).toMatchObject({ to: 'GBP', n: 2 });
    expect(app.get(CacheStats).of('RatesService.rate')).toMatchObject({ hits: 1, misses: 2 });
  });

  it('runs the method once for 100 concurrent calls', async () => {
    const results = await Promise.all(Array.from({ length: 100 }, () => rates.slow(1)));
    expect(calls.of('slow')).toBe(1);
    expect(new Set(results.map((r) => r.n))).toEqual(new Set([1]));
  });

  it('returns copies: mutating one result does not change the next', async () => {
    const a = (await rates.rate('CHF', 'JPY')) as Record<string, unknown>;
    a.from = 'mutated';
    const b = (await rates.rate('CHF', 'JPY')) as Record<string, unknown>;
    expect(b.from).toBe('CHF');
    b.to = 'mutated';
    expect(await rates.rate('CHF', 'JPY')).toMatchObject({ from: 'CHF', to: 'JPY' });
  });

  it('keeps Dates as Dates', async () => {
    await rates.rate('SEK', 'NOK');
    const hit = await rates.rate('SEK', 'NOK');
    expect(hit.at).toBeInstanceOf(Date);
    expect(hit.at.toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });

  it('fails the first call of a method returning a function with KWIK_CACHE_UNSERIALIZABLE', async () => {
    const error = await rejection(rates.formatter());
    expect(error).toBeInstanceOf(CacheError);
    expect(error).toMatchObject({ code: CacheErrorCode.Unserializable });
    expect((error as Error).message).toContain('RatesService.formatter');
  });

  it('invalidates the tags of @CacheEvict() after the method succeeded', async () => {
    const before = await rates.rate('AUD', 'NZD');
    expect(await rates.reloadRates()).toBe('reloaded');
    expect((await rates.rate('AUD', 'NZD')).n).toBe(before.n + 1);
  });

  it('evicts after a synchronous method too (its result arrives as a promise)', async () => {
    const before = await rates.rate('AUD', 'CAD');
    const result = rates.reloadRatesSync();
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toBe('reloaded sync');
    expect((await rates.rate('AUD', 'CAD')).n).toBe(before.n + 1);
  });

  it('does not evict when the method throws, and rethrows', async () => {
    const before = await rates.rate('PLN', 'CZK');
    await expect(rates.failingReload()).rejects.toThrow('reload failed');
    expect((await rates.rate('PLN', 'CZK')).n).toBe(before.n);
  });

  it('computes tags from the arguments', async () => {
    await rates.post('1');
    await rates.post('2');
    expect(await rates.renamePost('1', 'New title')).toBe('1:New title');
    expect(await rates.post('1')).toMatchObject({ n: 2 });
    expect(await rates.post('2')).toMatchObject({ n: 1 });
  });

  it('evicts around the cached call when a method has both decorators', async () => {
    const before = await rates.rate('HUF', 'RON');
    expect(await rates.consume()).toBe(1);
    expect(await rates.consume()).toBe(1);
    expect((await rates.rate('HUF', 'RON')).n).toBe(before.n + 1);
  });

  it('serves the stale value and refreshes it in the background, in the caller context', async () => {
    const acme = { tenant: { id: 'acme' } };
    expect(await context.run(acme, () => rates.dashboard())).toEqual({ n: 1, tenant: 'acme' });
    await sleep(260);
    expect(await context.run(acme, () => rates.dashboard())).toEqual({ n: 1, tenant: 'acme' });
    await eventually(() => calls.of('dashboard') === 2);
    await sleep(50); // the refreshed value is stored after the method returned
    expect(await context.run(acme, () => rates.dashboard())).toEqual({ n: 2, tenant: 'acme' });
    expect(app.get(CacheStats).of('RatesService.dashboard')).toMatchObject({ stale: 1, hits: 1 });
  });

  it('varies by user when asked, and always by tenant', async () => {
    expect(await mine('u1', 'acme')).toEqual({ n: 1, user: 'u1', tenant: 'acme' });
    expect(await mine('u2', 'acme')).toEqual({ n: 2, user: 'u2', tenant: 'acme' });
    expect(await mine('u1', 'globex')).toEqual({ n: 3, user: 'u1', tenant: 'globex' });
    expect(await mine(undefined, 'acme')).toEqual({ n: 4, tenant: 'acme' });
    expect(await mine('u1', 'acme')).toEqual({ n: 1, user: 'u1', tenant: 'acme' });
    expect(calls.of('mine')).toBe(4);
  });

  it('never shares a `shared: true` method across tenants (one entry per tenant, shared by its users)', async () => {
    const callers = [
      ['acme', 'u1'],
      ['acme', 'u2'],
      ['globex', 'u1'],
    ].map(([tenant, user]) => ({ tenant: { id: tenant! }, principal: { id: user! } }));
    const results = [];
    for (const snapshot of callers) results.push(await context.run(snapshot, () => rates.catalogue()));
    expect(results).toEqual([{ n: 1 }, { n: 1 }, { n: 2 }]);
  });

  it('keeps the method name and metadata, and leaves controllers and request-scoped providers alone', async () => {
    expect(rates.rate.name).toBe('rate');
    expect(Reflect.getMetadata(CACHE_METADATA, rates.rate)).toMatchObject({ ttlMs: 60_000 });
    expect(Object.hasOwn(app.get(RatesController), 'list')).toBe(false);
    const perRequest = await app.resolve(PerRequestService);
    expect(perRequest.value()).toBe('uncached');
  });
});

describe('@Cache() / @CacheEvict() across two instances sharing Redis', () => {
  let a: NestFastifyApplication;
  let b: NestFastifyApplication;

  beforeAll(async () => {
    const prefix = uniquePrefix();
    [a, b] = await Promise.all([
      bootMethodCacheApp(redisOptions(prefix)),
      bootMethodCacheApp(redisOptions(prefix)),
    ]);
  });
  afterAll(async () => {
    await a?.get(CacheService).clear();
    await Promise.all([a?.close(), b?.close()]);
  });

  const callsOf = (name: string): number => a.get(MethodCalls).of(name) + b.get(MethodCalls).of(name);

  it('serves B the value A computed, and recomputes on B after A evicted', async () => {
    const first = await a.get(RatesService).rate('EUR', 'USD');
    expect(await b.get(RatesService).rate('EUR', 'USD')).toEqual(first);
    expect(callsOf('rate')).toBe(1);
    await a.get(RatesService).reloadRates();
    expect(await b.get(RatesService).rate('EUR', 'USD')).toMatchObject({ n: 1 });
    expect(b.get(MethodCalls).of('rate')).toBe(1);
    expect(callsOf('rate')).toBe(2);
  });

  it('runs the method once for 100 concurrent calls spread over both instances', async () => {
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).get(RatesService).slow(7)),
    );
    expect(callsOf('slow')).toBe(1);
    expect(new Set(results.map((r) => r.id))).toEqual(new Set([7]));
  });
});
