import { describe, expect, it } from 'vitest';
import { CacheError } from '../cache.errors.js';
import type { CacheModuleOptions } from '../cache-options.interface.js';
import { resolveCacheOptions } from './resolve-cache-options.js';

/** The `CacheError` that `resolveCacheOptions` threw (fails the test when it threw nothing else). */
function rejection(options: unknown, env?: string): CacheError {
  let thrown: unknown;
  try {
    resolveCacheOptions(options as CacheModuleOptions, env);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(CacheError);
  return thrown as CacheError;
}

describe('resolveCacheOptions', () => {
  it('defaults: memory store, 10 000 entries / 64 MiB, 1 min TTL, 5 s lock, enabled; frozen', () => {
    const resolved = resolveCacheOptions({}, undefined);
    expect(resolved).toEqual({
      store: 'memory',
      redisUrl: undefined,
      keyPrefix: 'kwik:cache:',
      nearEntries: 1000,
      maxEntries: 10_000,
      maxBytes: 64 * 1024 * 1024,
      defaultTtlMs: 60_000,
      lockTimeoutMs: 5000,
      unavailableLogIntervalMs: 30_000,
      enabled: true,
    });
    expect(Object.isFrozen(resolved)).toBe(true);
  });

  it.each<[string, CacheModuleOptions, string | undefined, string]>([
    ['REDIS_URL is set', {}, 'redis://env:6379', 'redis://env:6379'],
    ['redis.url is set', { redis: { url: 'rediss://opt:6380' } }, undefined, 'rediss://opt:6380'],
    [
      'both are set (redis.url wins)',
      { redis: { url: 'redis://opt:6379' } },
      'redis://env:6379',
      'redis://opt:6379',
    ],
  ])('chooses Redis when %s', (_label, options, env, url) => {
    expect(resolveCacheOptions(options, env)).toMatchObject({ store: 'redis', redisUrl: url });
  });

  it("keeps store: 'memory' when a Redis URL exists", () => {
    expect(resolveCacheOptions({ store: 'memory' }, 'redis://env:6379').store).toBe('memory');
  });

  it('takes the other options as given', () => {
    expect(
      resolveCacheOptions(
        {
          redis: { keyPrefix: 'shop:' },
          memory: { maxEntries: 50, maxBytes: 1024 },
          defaultTtl: '5m',
          lockTimeout: '2s',
          unavailableLogInterval: { seconds: 10 },
          enabled: false,
        },
        'redis://env:6379',
      ),
    ).toMatchObject({
      keyPrefix: 'shop:',
      maxEntries: 50,
      maxBytes: 1024,
      defaultTtlMs: 300_000,
      lockTimeoutMs: 2000,
      unavailableLogIntervalMs: 10_000,
      enabled: false,
    });
  });

  it("refuses store: 'redis' without a URL, saying where to set one", () => {
    const error = rejection({ store: 'redis' }, undefined);
    expect(error?.code).toBe('KWIK_CACHE_REDIS_MISSING');
    expect(error?.message).toContain('REDIS_URL');
  });

  it.each<[string, unknown, string | undefined, string]>([
    ['an http:// URL', { redis: { url: 'http://localhost:6379' } }, undefined, 'KWIK_CACHE_INVALID_OPTIONS'],
    ['a URL without scheme', {}, 'localhost:6379', 'KWIK_CACHE_INVALID_OPTIONS'],
    ['an unknown store', { store: 'postgres' }, undefined, 'KWIK_CACHE_INVALID_OPTIONS'],
    [
      'a keyPrefix that is not a string',
      { redis: { keyPrefix: 7 } },
      undefined,
      'KWIK_CACHE_INVALID_OPTIONS',
    ],
    ['zero maxEntries', { memory: { maxEntries: 0 } }, undefined, 'KWIK_CACHE_INVALID_OPTIONS'],
    ['fractional maxEntries', { memory: { maxEntries: 1.5 } }, undefined, 'KWIK_CACHE_INVALID_OPTIONS'],
    ['negative maxBytes', { memory: { maxBytes: -1 } }, undefined, 'KWIK_CACHE_INVALID_OPTIONS'],
    ['a bare-number defaultTtl', { defaultTtl: 60 }, undefined, 'KWIK_CACHE_INVALID_DURATION'],
    ['a zero lockTimeout', { lockTimeout: '0s' }, undefined, 'KWIK_CACHE_INVALID_DURATION'],
  ])('refuses %s', (_label, options, env, code) => {
    expect(rejection(options, env)?.code).toBe(code);
  });

  it('names the option in a duration error', () => {
    expect(rejection({ defaultTtl: '1 minute' })?.message).toContain('CacheModule defaultTtl');
  });

  it('does not check a Redis URL it will not use', () => {
    expect(resolveCacheOptions({ store: 'memory' }, 'not a url').store).toBe('memory');
  });
});
