import type { Cache } from 'cache-manager';
import type { CacheEntry, TagVersions } from './cache-entry.js';

/** Thrown by a store that cannot answer now (Redis down); the cache is bypassed, never the request. */
export class CacheStoreUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CacheStoreUnavailable';
  }
}

/**
 * The port every cache store implements (the memory LRU and Redis drivers ship with Kwik). Keys
 * arrive complete (prefix included by the driver). Every method may throw
 * {@link CacheStoreUnavailable}; the cache then answers without the store.
 *
 * Tags are versions, not key sets: invalidating a tag bumps its version, and an entry computed
 * under an older version is no longer served. That makes invalidation O(1), atomic across
 * instances, and free of the race where a value computed before an invalidation is stored after it.
 */
export abstract class CacheStore {
  /** `'memory'`, `'redis'` or your driver's name (logs, stats). */
  abstract readonly kind: string;

  /**
   * The cache-manager instance the driver stores entries through (also provided under
   * `@nestjs/cache-manager`'s `CACHE_MANAGER` token, for code written against it).
   */
  abstract readonly cacheManager: Cache;

  /** False while the store is known to be unreachable (lookups are then skipped at once). */
  abstract get available(): boolean;

  /** The entry under `key` and the current versions of `tags`, read together (one round trip). */
  abstract read(key: string, tags: readonly string[]): Promise<{ entry?: CacheEntry; versions: TagVersions }>;

  /** The current versions of `tags`. */
  abstract tagVersions(tags: readonly string[]): Promise<TagVersions>;

  /** Stores `entry` under `key`; it expires from the store after `ttlMs`. */
  abstract write(key: string, entry: CacheEntry, ttlMs: number): Promise<void>;

  /** Deletes entries by key. */
  abstract delete(keys: readonly string[]): Promise<void>;

  /** Bumps the version of every tag (their entries stop being served, on every instance). */
  abstract invalidateTags(tags: readonly string[]): Promise<void>;

  /** Takes the single-flight lock of `key` for `ttlMs`; a token when taken, `undefined` when held elsewhere. */
  abstract lock(key: string, ttlMs: number): Promise<string | undefined>;

  /** Releases a lock taken with {@link lock} (only if `token` still holds it). */
  abstract unlock(key: string, token: string): Promise<void>;

  /** Drops every entry and tag version of this cache (tests, `CacheService.clear()`). */
  abstract clear(): Promise<void>;

  /**
   * Resolves once the store's first connection attempt settled (the module waits for it at boot,
   * up to 3 s, so the first requests do not bypass a store that is merely connecting).
   */
  ready(): Promise<void> {
    return Promise.resolve();
  }

  /** Closes connections (called on application shutdown). */
  abstract close(): Promise<void>;
}
