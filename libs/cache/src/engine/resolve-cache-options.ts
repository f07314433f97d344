import { CacheError, CacheErrorCode } from '../cache.errors.js';
import type { CacheModuleOptions, CacheStoreKind } from '../cache-options.interface.js';
import { toMilliseconds } from '../duration.js';

/** {@link CacheModuleOptions} checked and defaulted once, at boot. */
export interface ResolvedCacheOptions {
  readonly store: CacheStoreKind;
  readonly redisUrl: string | undefined;
  readonly keyPrefix: string;
  readonly nearEntries: number;
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly defaultTtlMs: number;
  readonly lockTimeoutMs: number;
  readonly unavailableLogIntervalMs: number;
  readonly enabled: boolean;
}

function invalid(message: string): CacheError {
  return new CacheError(CacheErrorCode.InvalidOptions, message);
}

function positiveInteger(value: number | undefined, fallback: number, what: string): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 1)
    throw invalid(`${what} must be a whole number of at least 1 (got ${String(value)}).`);
  return n;
}

function nonNegativeInteger(value: number | undefined, fallback: number, what: string): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 0)
    throw invalid(`${what} must be a whole number of at least 0 (got ${String(value)}).`);
  return n;
}

/** Checks and defaults the options; `envRedisUrl` is `REDIS_URL` from the app's config. */
export function resolveCacheOptions(
  options: CacheModuleOptions,
  envRedisUrl: string | undefined,
): ResolvedCacheOptions {
  const redisUrl = options.redis?.url ?? envRedisUrl ?? undefined;
  const store = options.store ?? (redisUrl ? 'redis' : 'memory');
  if (store !== 'memory' && store !== 'redis')
    throw invalid(`CacheModule store must be 'memory' or 'redis' (got ${JSON.stringify(store)}).`);
  if (store === 'redis' && !redisUrl)
    throw new CacheError(
      CacheErrorCode.RedisMissing,
      "CacheModule({ store: 'redis' }) needs a Redis URL: set REDIS_URL (redis://host:6379) or pass redis: { url }. Use store: 'memory' for one process.",
    );
  if (redisUrl && store === 'redis' && !/^rediss?:\/\//.test(redisUrl))
    throw invalid(`CacheModule redis.url must be a redis:// or rediss:// URL (got "${redisUrl}").`);
  const keyPrefix = options.redis?.keyPrefix ?? 'kwik:cache:';
  if (typeof keyPrefix !== 'string') throw invalid('CacheModule redis.keyPrefix must be a string.');
  return Object.freeze({
    store,
    redisUrl,
    keyPrefix,
    nearEntries: nonNegativeInteger(options.redis?.nearEntries, 1000, 'CacheModule redis.nearEntries'),
    maxEntries: positiveInteger(options.memory?.maxEntries, 10_000, 'CacheModule memory.maxEntries'),
    maxBytes: positiveInteger(options.memory?.maxBytes, 64 * 1024 * 1024, 'CacheModule memory.maxBytes'),
    defaultTtlMs: toMilliseconds(options.defaultTtl ?? '1m', 'CacheModule defaultTtl'),
    lockTimeoutMs: toMilliseconds(options.lockTimeout ?? '5s', 'CacheModule lockTimeout'),
    unavailableLogIntervalMs: toMilliseconds(
      options.unavailableLogInterval ?? '30s',
      'CacheModule unavailableLogInterval',
    ),
    enabled: options.enabled ?? true,
  });
}
