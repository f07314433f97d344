import { KwikError } from '@kwik/core';

/** Stable codes of the errors `@kwik/cache` throws at boot or on misuse (listed in `docs/errors.md`). */
export const CacheErrorCode = {
  /** An option of `CacheModule`, `@Cache()` or `@CacheEvict()` is invalid. */
  InvalidOptions: 'KWIK_CACHE_INVALID_OPTIONS',
  /** A TTL or duration is not a number with a unit (`'30s'`, `'5m'`) or `{ seconds }`. */
  InvalidDuration: 'KWIK_CACHE_INVALID_DURATION',
  /** A cached route needs authentication but its key varies on neither `user` nor `tenant`, and it is not `shared`. */
  UnsafeSharedRoute: 'KWIK_CACHE_UNSAFE_SHARED_ROUTE',
  /** A value returned by a cached method cannot be stored (a function, a symbol, a promise...). */
  Unserializable: 'KWIK_CACHE_UNSERIALIZABLE',
  /** `store: 'redis'` was chosen but no Redis URL is configured. */
  RedisMissing: 'KWIK_CACHE_REDIS_MISSING',
  /** `CacheModule` was used with an HTTP adapter other than Fastify while routes are cached. */
  FastifyRequired: 'KWIK_CACHE_FASTIFY_REQUIRED',
} as const;

export type CacheErrorCodeValue = (typeof CacheErrorCode)[keyof typeof CacheErrorCode];

/**
 * A misconfiguration or misuse of `@kwik/cache`; the message says how to fix it.
 *
 * @example
 * try { await createKwikApp(AppModule); }
 * catch (e) { if (e instanceof CacheError && e.code === 'KWIK_CACHE_UNSAFE_SHARED_ROUTE') ... }
 */
export class CacheError extends KwikError {
  declare readonly code: CacheErrorCodeValue;

  constructor(code: CacheErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'CacheError';
  }
}
