export { CacheModule } from './cache.module.js';
export type { CacheModuleExtras } from './cache.module-definition.js';
export type {
  CacheEvictOptions,
  CacheModuleOptions,
  CacheOptions,
  CacheStoreKind,
  CacheTags,
  CacheVary,
  MemoryStoreOptions,
} from './cache-options.interface.js';
export { CACHE_MODULE_OPTIONS, X_CACHE_HEADER } from './cache.constants.js';
export { CacheError, CacheErrorCode, type CacheErrorCodeValue } from './cache.errors.js';
export { toMilliseconds, type Duration } from './duration.js';

export { Cache } from './decorators/cache.decorator.js';
export { CacheEvict } from './decorators/cache-evict.decorator.js';

export {
  CacheService,
  type CacheLookup,
  type CachePolicy,
  type CacheSpec,
  type InvalidateInput,
} from './engine/cache.service.js';
export { CacheStats, type CacheCounters, type CacheOutcome } from './engine/cache-stats.js';

export { CacheStore, CacheStoreUnavailable } from './store/cache-store.js';
export type { CacheEntry, TagVersions } from './store/cache-entry.js';
export { MemoryCacheStore, type MemoryCacheStoreOptions } from './drivers/memory-cache.store.js';
export { RedisCacheStore, type RedisCacheStoreOptions } from './drivers/redis-cache.store.js';

export { QueryCache, type QueryCacheSettings } from './query/query-cache.js';
export {
  QUERY_CACHE_IDENTIFIER_PREFIX,
  cacheFind,
  cacheQuery,
  queryCacheIdentifier,
  queryCacheTags,
  type QueryCacheOptions,
} from './query/query-cache-identifier.js';
export {
  KwikQueryResultCache,
  QUERY_CACHE_ALL_TAG,
  type KwikQueryResultCacheSettings,
  type TypeOrmCacheOption,
} from './query/kwik-query-result-cache.js';
