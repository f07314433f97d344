/** Injection token of the raw `SecurityModule` options (as passed to `forRoot` / `forRootAsync`). */
export const SECURITY_MODULE_OPTIONS = Symbol('kwik:security:options');
/** Injection token of the validated, defaulted and frozen options (`ResolvedSecurityOptions`). */
export const SECURITY_RESOLVED_OPTIONS = Symbol('kwik:security:resolved-options');
/** Metadata key: the rate-limit policy of a handler or controller (set by `@RateLimit()`). */
export const RATE_LIMIT_METADATA = 'kwik:security:rate-limit';
/** Metadata key: a handler or controller is exempt from rate limiting (set by `@SkipRateLimit()`). */
export const SKIP_RATE_LIMIT_METADATA = 'kwik:security:skip-rate-limit';
/** Metadata key: the request timeout of a handler or controller (set by `@RequestTimeout()`). */
export const REQUEST_TIMEOUT_METADATA = 'kwik:security:request-timeout';

/** Headers browsers may read on cross-origin responses unless `cors.exposedHeaders` says otherwise. */
export const DEFAULT_EXPOSED_HEADERS: readonly string[] = Object.freeze([
  'X-Request-Id',
  'Link',
  'X-Total-Count',
  'ETag',
  'RateLimit',
  'RateLimit-Policy',
  'Retry-After',
]);
