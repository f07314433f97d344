import { SetMetadata } from '@nestjs/common';
import { CACHE_METADATA } from '../cache.constants.js';
import type { CacheOptions } from '../cache-options.interface.js';
import { normalizeCacheOptions } from './normalize-cache-options.js';

/**
 * Caches a GET route's response, or a provider method's result (keyed by its arguments).
 * TTLs carry their unit (`'30s'`, `'5m'`, `{ seconds: 30 }`). The tenant of the request is always
 * part of the key; `vary` adds the user, the API version or request headers. A cached route that
 * needs authentication must vary on `user` or `tenant`, or say `shared: true` — otherwise the app
 * does not boot.
 *
 * Routes answer hits before Nest's pipeline runs (guards still run), replaying the original status,
 * headers and body bytes with `X-Cache: HIT`; misses say `MISS`, a stale answer `STALE`, an
 * unavailable store `BYPASS`.
 *
 * @example
 * @Get() @Cache({ ttl: '5m', vary: ['user'], tags: ['posts'], staleWhileRevalidate: '1m' })
 * list() {}
 *
 * @Injectable() class RatesService {
 *   @Cache({ ttl: '10m', tags: ['fx'] }) async rate(from: string, to: string) {}
 * }
 */
export function Cache(options: CacheOptions = {}): MethodDecorator {
  const normalized = normalizeCacheOptions(options);
  return SetMetadata(CACHE_METADATA, normalized);
}
