import { CacheError, CacheErrorCode } from '../cache.errors.js';
import type { CacheEvictOptions, CacheOptions, CacheTags, CacheVary } from '../cache-options.interface.js';
import { toMilliseconds } from '../duration.js';

/** `@Cache()` options checked once, when the decorator is applied. */
export interface NormalizedCacheOptions {
  /** Fresh time in ms; `undefined` takes the module's default TTL. */
  readonly ttlMs: number | undefined;
  readonly swrMs: number;
  readonly varyUser: boolean;
  readonly varyTenant: boolean;
  readonly varyVersion: boolean;
  /** Lower-case request header names the key varies on. */
  readonly varyHeaders: readonly string[];
  readonly tags: CacheTags;
  readonly shared: boolean;
  readonly cacheControl: string | undefined;
  readonly key: string | undefined;
}

/** `@CacheEvict()` options checked once. */
export interface NormalizedEvictOptions {
  readonly tags: CacheTags;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

function invalid(message: string): CacheError {
  return new CacheError(CacheErrorCode.InvalidOptions, message);
}

function checkTags(tags: unknown, where: string): CacheTags {
  if (tags === undefined) return [];
  if (typeof tags === 'function') return tags as CacheTags;
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || t.length === 0))
    throw invalid(
      `${where} tags must be an array of non-empty strings, or a function of the arguments returning one.`,
    );
  return Object.freeze([...(tags as string[])]);
}

/** Checks `@Cache()` options; throws `KWIK_CACHE_INVALID_OPTIONS` / `KWIK_CACHE_INVALID_DURATION`. */
export function normalizeCacheOptions(options: CacheOptions = {}): NormalizedCacheOptions {
  const vary = options.vary ?? [];
  if (!Array.isArray(vary)) throw invalid(`@Cache() vary must be an array, e.g. ['user', 'tenant'].`);
  const headers: string[] = [];
  for (const item of vary as readonly CacheVary[]) {
    if (item === 'user' || item === 'tenant' || item === 'query' || item === 'version') continue;
    if (typeof item === 'string' && item.startsWith('header:')) {
      const name = item.slice('header:'.length).trim().toLowerCase();
      if (!HEADER_NAME.test(name)) throw invalid(`@Cache() vary '${item}' does not name a valid header.`);
      if (!headers.includes(name)) headers.push(name);
      continue;
    }
    throw invalid(
      `@Cache() vary has ${JSON.stringify(item)}; use 'user', 'tenant', 'query', 'version' or 'header:<name>'.`,
    );
  }
  if (
    options.cacheControl !== undefined &&
    (typeof options.cacheControl !== 'string' || /[\r\n]/.test(options.cacheControl))
  )
    throw invalid('@Cache() cacheControl must be a header value on one line.');
  if (options.key !== undefined && (typeof options.key !== 'string' || options.key.length === 0))
    throw invalid('@Cache() key must be a non-empty string.');
  return Object.freeze({
    ttlMs: options.ttl === undefined ? undefined : toMilliseconds(options.ttl, '@Cache() ttl'),
    swrMs:
      options.staleWhileRevalidate === undefined
        ? 0
        : toMilliseconds(options.staleWhileRevalidate, '@Cache() staleWhileRevalidate', true),
    varyUser: vary.includes('user'),
    varyTenant: vary.includes('tenant'),
    varyVersion: vary.includes('version'),
    varyHeaders: Object.freeze(headers),
    tags: checkTags(options.tags, '@Cache()'),
    shared: options.shared === true,
    cacheControl: options.cacheControl,
    key: options.key,
  });
}

/** Checks `@CacheEvict()` options. */
export function normalizeEvictOptions(options: CacheEvictOptions): NormalizedEvictOptions {
  const tags = checkTags(options?.tags, '@CacheEvict()');
  if (Array.isArray(tags) && tags.length === 0)
    throw invalid("@CacheEvict() needs tags: @CacheEvict({ tags: ['posts'] }).");
  return Object.freeze({ tags });
}

/** The tags of one call (fixed, or computed from its arguments). */
export function tagsOf(tags: CacheTags, args: readonly unknown[]): readonly string[] {
  if (typeof tags !== 'function') return tags;
  const computed = (tags as (...a: unknown[]) => readonly string[])(...args);
  if (!Array.isArray(computed) || computed.some((t) => typeof t !== 'string' || t.length === 0))
    throw invalid('A tags function must return an array of non-empty strings.');
  return computed;
}
