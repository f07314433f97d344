import type { Duration } from './duration.js';

/** Where cached values live. */
export type CacheStoreKind = 'memory' | 'redis';

/** Bounds of the in-process store (an LRU: the least recently used entries go first). */
export interface MemoryStoreOptions {
  /** Most entries kept. @default 10000 */
  maxEntries?: number;
  /** Most bytes kept (bodies and serialized values, approximately). @default 67108864 (64 MiB) */
  maxBytes?: number;
}

/** Options of `CacheModule.forRoot()` / `forRootAsync()`. */
export interface CacheModuleOptions {
  /**
   * `'memory'` (per process, bounded LRU) or `'redis'` (shared by every instance).
   * @default 'redis' when a Redis URL is configured (`redis.url` or `REDIS_URL`), else 'memory'
   */
  store?: CacheStoreKind;
  /** Redis connection for `store: 'redis'`. */
  redis?: {
    /** `redis://` / `rediss://` URL. @default the `REDIS_URL` environment variable */
    url?: string;
    /** Prefix of every key the cache writes. @default 'kwik:cache:' */
    keyPrefix?: string;
    /**
     * Entries with tags also kept in each process (an LRU of this many): a hit then reads only the
     * tag versions and the entry's existence from Redis, not the entry. 0 turns it off.
     * @default 1000
     */
    nearEntries?: number;
  };
  /** Bounds of the memory store. */
  memory?: MemoryStoreOptions;
  /** TTL of `@Cache()` declarations that name none. @default '1m' */
  defaultTtl?: Duration;
  /**
   * How long a miss waits for another instance that holds the single-flight lock of the same key
   * before it computes the value itself (and the lock's own expiry).
   * @default '5s'
   */
  lockTimeout?: Duration;
  /** How often "the cache store is unavailable" is logged at most while the store is down. @default '30s' */
  unavailableLogInterval?: Duration;
  /** Turn every `@Cache()` into a pass-through (tests, debugging). Evictions still run. @default true */
  enabled?: boolean;
}

/** What the cache key of a route or method varies on (in addition to the URL or the arguments). */
export type CacheVary =
  /** The principal (`RequestContext.principal.id` and its kind). */
  | 'user'
  /** The tenant (`RequestContext.tenant.id`). */
  | 'tenant'
  /** The query string (always part of a route's key; accepted for clarity). */
  | 'query'
  /** The API version (`RequestContext.apiVersion`). */
  | 'version'
  /** A request header, e.g. `'header:accept-language'` (routes only; also sent in `Vary`). */
  | `header:${string}`;

/** Tags of an entry: fixed names, or computed from the method's arguments. */
export type CacheTags = readonly string[] | ((...args: never[]) => readonly string[]);

/** Options of `@Cache()`. */
export interface CacheOptions {
  /** How long an entry is fresh. @default the module's `defaultTtl` ('1m') */
  ttl?: Duration;
  /** What the key varies on. @default [] */
  vary?: readonly CacheVary[];
  /** Tags to invalidate the entry by (`@CacheEvict({ tags })`, `CacheService.invalidate()`). @default [] */
  tags?: CacheTags;
  /**
   * After `ttl`, how long the stale entry is still served (`X-Cache: STALE`) while one background
   * refresh computes the new one.
   * @default none
   */
  staleWhileRevalidate?: Duration;
  /**
   * Declares that one response may be served to every caller of an authenticated route (a public
   * catalogue behind a login). Without it, such a route must vary on `user` or `tenant`.
   * @default false
   */
  shared?: boolean;
  /** `Cache-Control` sent with the route's responses (routes only). @default none */
  cacheControl?: string;
  /** Key name instead of `Class.method` (methods) or the route (routes). @default derived */
  key?: string;
}

/** Options of `@CacheEvict()`. */
export interface CacheEvictOptions {
  /** Tags whose entries are dropped after the method succeeds. */
  tags?: CacheTags;
}
