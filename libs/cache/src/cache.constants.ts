/** Injection token of the resolved `CacheModule` options. */
export const CACHE_MODULE_OPTIONS = 'kwik:cache:options';

/** Metadata key of `@Cache()` options on a route handler or provider method. */
export const CACHE_METADATA = 'kwik:cache:cache';

/** Metadata key of `@CacheEvict()` options on a route handler or provider method. */
export const CACHE_EVICT_METADATA = 'kwik:cache:evict';

/** The response header that says how a cached route was answered. */
export const X_CACHE_HEADER = 'x-cache';

/** Injection token of the checked and defaulted options (`ResolvedCacheOptions`). */
export const CACHE_RESOLVED_OPTIONS = 'kwik:cache:resolved-options';
